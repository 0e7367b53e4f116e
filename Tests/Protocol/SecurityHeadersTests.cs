using System.Net;
using System.Net.Http.Json;
using OrleansChat.Tests.Infrastructure;

namespace OrleansChat.Tests.Protocol;

/// <summary>What the page and the API tell browsers and caches, and which host names the gateway answers to.</summary>
[Collection(GatewayCollection.Name)]
public sealed class SecurityHeadersTests(GatewayFixture fixture)
{
    [Theory]
    [InlineData("/")]
    [InlineData("/app.js")]
    [InlineData("/api/nothing-here")]
    public async Task EveryResponse_CarriesTheSecurityHeaders(string path)
    {
        using var response = await fixture.Host.Http.GetAsync(path);

        var policy = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
        Assert.Equal(["no-referrer"], response.Headers.GetValues("Referrer-Policy"));
        Assert.Equal(["DENY"], response.Headers.GetValues("X-Frame-Options"));
    }

    [Fact]
    public async Task ResponsesCarryingATokenAreNeverStored()
    {
        var username = await fixture.Host.RegisterAsync();

        using var login = await fixture.Host.Http.PostAsJsonAsync("/api/login", new { username, password = Chatters.Password });

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.True(login.Headers.CacheControl?.NoStore, "Cache-Control: no-store");
    }

    [Fact]
    public async Task StrictTransportSecurity_SentWhenConfigured()
    {
        await using var host = await GatewayHost.StartAsync(("Gateway:StrictTransportSecurity", "max-age=31536000; includeSubDomains"));

        using var response = await host.Http.GetAsync("/");

        Assert.Equal(["max-age=31536000; includeSubDomains"], response.Headers.GetValues("Strict-Transport-Security"));
        using var plain = await fixture.Host.Http.GetAsync("/");
        Assert.False(plain.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task AllowedHosts_RequestsForOtherHostNamesRefused()
    {
        await using var host = await GatewayHost.StartAsync(("AllowedHosts", "chat.example.com"));

        using var allowed = new HttpRequestMessage(HttpMethod.Get, "/") { Headers = { Host = "chat.example.com" } };
        using var other = new HttpRequestMessage(HttpMethod.Get, "/") { Headers = { Host = "evil.example.net" } };
        using var allowedResponse = await host.Http.SendAsync(allowed);
        using var otherResponse = await host.Http.SendAsync(other);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.BadRequest), (allowedResponse.StatusCode, otherResponse.StatusCode));
    }
}
