using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OrleansChat.Hosting;

/// <summary>
/// /healthz answers while the process runs (liveness: restart me only if this fails); /readyz runs every
/// check tagged "ready" (the cluster, and Redis where one is configured) and answers 503 while any fails, so
/// that Kubernetes sends no traffic to a process that cannot serve it.
/// </summary>
public static class ChatHealth
{
    public const string ReadyTag = "ready";

    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(2);

    public static IHealthChecksBuilder AddChatHealthChecks(this IServiceCollection services, IConfiguration configuration)
    {
        var checks = services.AddHealthChecks();
        if (configuration.GetConnectionString("Redis") is { Length: > 0 } redis)
        {
            checks.AddRedis(redis, name: "redis", tags: [ReadyTag], timeout: CheckTimeout);
        }

        return checks;
    }

    /// <summary>Adds a readiness check with the timeout every check here has.</summary>
    public static IHealthChecksBuilder AddReadinessCheck<TCheck>(this IHealthChecksBuilder checks, string name)
        where TCheck : class, IHealthCheck =>
        checks.AddCheck<TCheck>(name, tags: [ReadyTag], timeout: CheckTimeout);

    public static void MapChatHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        endpoints.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync });
    }

    /// <summary>{"status": "healthy" | "unhealthy", "checks": {"redis": "healthy", ...}}, with no exception details.</summary>
    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            status = Describe(report.Status),
            checks = report.Entries.ToDictionary(entry => entry.Key, entry => Describe(entry.Value.Status)),
        });
    }

    private static string Describe(HealthStatus status) => status == HealthStatus.Healthy ? "healthy" : "unhealthy";
}
