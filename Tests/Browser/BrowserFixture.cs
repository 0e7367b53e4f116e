using Microsoft.Playwright;
using OrleansChat.Tests.Infrastructure;

namespace OrleansChat.Tests.Browser;

/// <summary>
/// Debian's chromium driven by Playwright, against a gateway with Redis storage on a fixed free port so
/// that it can be stopped and started again under the page's feet.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";

    private readonly int _port = FreePort.Next();
    private RedisServer _redis = null!;
    private IPlaywright _playwright = null!;

    public GatewayHost Host { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public Uri PageUri => new($"http://127.0.0.1:{_port}/");

    /// <summary>Screenshots are kept with the test output, as artifacts of the run.</summary>
    public static string ArtifactDirectory => Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artifacts")).FullName;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        Host = await StartGatewayAsync();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            // This machine has no network beyond loopback; keep chromium from trying.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>Stops the gateway and starts a new one on the same address and storage, with the settings given added.</summary>
    public async Task RestartGatewayAsync(params (string Key, string Value)[] settings)
    {
        await Host.DisposeAsync();
        Host = await StartGatewayAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
        await Host.DisposeAsync();
        await _redis.DisposeAsync();
    }

    private Task<GatewayHost> StartGatewayAsync(params (string Key, string Value)[] settings) => GatewayHost.StartAsync(
        [("urls", PageUri.ToString().TrimEnd('/')), ("ConnectionStrings:Redis", _redis.ConnectionString), ("Orleans:ServiceId", "browser-tests"), .. settings]);
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
