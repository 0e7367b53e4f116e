using System.Net;
using Orleans.Configuration;
using Orleans.Dashboard;
using OrleansChat.Hosting;

// A standalone silo for cluster mode: members find each other through Redis, grain state lives there too.
// It serves HTTP only for operators: /healthz, /readyz, /metrics and (when enabled) the Orleans Dashboard.
var builder = WebApplication.CreateBuilder(args);
var configuration = builder.Configuration;
var redis = configuration.GetConnectionString("Redis")
    ?? throw new InvalidOperationException("A silo needs ConnectionStrings:Redis (for example 127.0.0.1:6379)");
if (string.IsNullOrEmpty(configuration["urls"]))
{
    builder.WebHost.UseUrls("http://127.0.0.1:8081");
}

var dashboard = configuration.GetValue("Orleans:Dashboard:Enabled", false);
builder.UseOrleans(silo =>
{
    silo.UseRedisClustering(redis);
    silo.Configure<ClusterOptions>(configuration.GetSection("Orleans"));
    silo.Configure<EndpointOptions>(endpoints =>
    {
        endpoints.SiloPort = configuration.GetValue("Orleans:Endpoints:SiloPort", EndpointOptions.DEFAULT_SILO_PORT);
        endpoints.GatewayPort = configuration.GetValue("Orleans:Endpoints:GatewayPort", EndpointOptions.DEFAULT_GATEWAY_PORT);
        if (configuration["Orleans:Endpoints:AdvertisedIPAddress"] is { Length: > 0 } advertised)
        {
            endpoints.AdvertisedIPAddress = IPAddress.Parse(advertised);
        }
    });
    silo.Configure<ClusterMembershipOptions>(membership =>
    {
        // Detect a dead silo in a few seconds rather than the default tens of seconds: chat traffic to
        // the grains it hosted stalls until it is declared dead.
        membership.ProbeTimeout = TimeSpan.FromSeconds(1);
        membership.NumMissedProbesLimit = 2;
        membership.TableRefreshTimeout = TimeSpan.FromSeconds(2);
        // A silo whose table heartbeat is two periods old counts as dead: this is what lets a silo that
        // starts after every other silo died join within seconds.
        membership.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(3);
    });
    silo.Configure<ClusterMembershipOptions>(configuration.GetSection("Orleans:Membership"));
    silo.AddChatGrains(configuration);
    if (dashboard)
    {
        silo.AddDashboard();
    }
});
builder.Services.AddChatHealthChecks(configuration).AddReadinessCheck<SiloActiveHealthCheck>("silo");
builder.Services.AddChatTelemetry("orleanschat-silo");

var app = builder.Build();
app.UseChatMetricsEndpoint(configuration);
app.MapChatHealth();
if (dashboard)
{
    // Off by default: it shows every grain type and silo, so expose it only where operators alone reach it.
    app.MapOrleansDashboard(routePrefix: "/dashboard");
}

app.Run();
