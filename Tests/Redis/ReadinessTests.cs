using System.Net;
using OrleansChat.Tests.Infrastructure;

namespace OrleansChat.Tests.Redis;

/// <summary>/readyz follows Redis: 503 while the test's redis-server is stopped, 200 again once it is back; /healthz stays 200.</summary>
public sealed class ReadinessTests
{
    [Fact]
    public async Task Gateway_NotReadyWhileRedisIsDown_ReadyAgainWhenItReturns()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var host = await GatewayHost.StartAsync(("ConnectionStrings:Redis", redis.ConnectionString), ("Orleans:ServiceId", Unique.Name("svc")));

        await AssertReadinessFollowsRedisAsync(host.Http, redis);
    }

    [Fact]
    public async Task Silo_ServesHealthAndMetrics_NotReadyWhileRedisIsDown_DashboardOffByDefault()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var silo = await StartSiloAsync(redis);

        using var dashboard = await silo.Http.GetAsync("/dashboard");
        var metrics = await PrometheusScrape.ReadAsync(silo.Http);

        Assert.Equal(HttpStatusCode.NotFound, dashboard.StatusCode);
        Assert.True(metrics.Has("orleans_catalog_activations"), "the silo exports Orleans' meters");
        Assert.True(metrics.Has("dotnet_gc_collections_total"), "the silo exports the runtime's meters");
        await AssertReadinessFollowsRedisAsync(silo.Http, redis);
    }

    [Fact]
    public async Task Silo_DashboardOnByConfiguration()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var silo = await StartSiloAsync(redis, ("Orleans:Dashboard:Enabled", "true"));

        using var dashboard = await silo.Http.GetAsync("/dashboard");

        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains("text/html", dashboard.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
    }

    /// <summary>
    /// Starts a silo process on free ports. A port found free can be taken by another test's process before the silo
    /// binds it; the silo then exits at once, and is started again on other ports.
    /// </summary>
    private static async Task<ServerProcess> StartSiloAsync(RedisServer redis, params (string, string)[] settings)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await ServerProcess.StartAsync("Silo", [
                    ("ConnectionStrings:Redis", redis.ConnectionString),
                    ("Orleans:ClusterId", Unique.Name("cluster")),
                    ("Orleans:Endpoints:SiloPort", $"{FreePort.Next()}"),
                    ("Orleans:Endpoints:GatewayPort", $"{FreePort.Next()}"),
                    ("Orleans:Endpoints:AdvertisedIPAddress", "127.0.0.1"),
                    .. settings]);
            }
            catch (InvalidOperationException ex) when (attempt < 3 && ex.Message.Contains("Address already in use", StringComparison.Ordinal))
            {
            }
        }
    }

    private static async Task AssertReadinessFollowsRedisAsync(HttpClient http, RedisServer redis)
    {
        await Eventually.TrueAsync(async () => await StatusAsync(http, "/readyz") == HttpStatusCode.OK, "ready", TimeSpan.FromSeconds(60));

        await redis.StopAsync();
        await Eventually.TrueAsync(async () => await StatusAsync(http, "/readyz") == HttpStatusCode.ServiceUnavailable, "not ready without Redis");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, "/healthz"));

        await redis.RestartAsync();
        await Eventually.TrueAsync(async () => await StatusAsync(http, "/readyz") == HttpStatusCode.OK, "ready again", TimeSpan.FromSeconds(30));
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        return response.StatusCode;
    }
}
