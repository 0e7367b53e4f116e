using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace OrleansChat.Hosting;

/// <summary>
/// OpenTelemetry metrics, scraped by Prometheus at /metrics: the process's own meters plus those of Orleans,
/// ASP.NET Core (HTTP requests, Kestrel connections) and the .NET runtime (GC, thread pool).
/// </summary>
public static class ChatTelemetry
{
    private static readonly string[] PlatformMeters =
    [
        "Microsoft.Orleans", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Runtime",
    ];

    /// <param name="serviceName">The service.name every series is labelled with (target_info), e.g. "orleanschat-gateway".</param>
    public static IServiceCollection AddChatTelemetry(this IServiceCollection services, string serviceName, params string[] ownMeters)
    {
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithMetrics(metrics => metrics
                .AddMeter([.. ownMeters, .. PlatformMeters])
                // The SDK sets aside room for 2,000 tag combinations per metric up front, about 30 MB over the
                // hundred-odd metrics Orleans and ASP.NET Core have; none of ours comes near 200.
                .AddView(_ => new MetricStreamConfiguration { CardinalityLimit = 200 })
                // Every scrape reads the counters afresh (the default reuses one for 300 ms); Prometheus scrapes
                // every few seconds at most, and a test reading a counter after an action must see it move.
                .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0));
        return services;
    }

    /// <summary>
    /// Serves /metrics; with Telemetry:MetricsPort set, only to connections made to that port, so that a
    /// gateway's public port (behind the Ingress) does not hand its metrics to the internet.
    /// </summary>
    public static IApplicationBuilder UseChatMetricsEndpoint(this IApplicationBuilder app, IConfiguration configuration)
    {
        var port = configuration.GetValue<int?>("Telemetry:MetricsPort");
        return app.UseOpenTelemetryPrometheusScrapingEndpoint(context =>
            context.Request.Path == "/metrics" && (port is null || context.Connection.LocalPort == port));
    }
}
