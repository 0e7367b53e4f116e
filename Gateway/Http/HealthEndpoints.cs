using OrleansChat.Health;

namespace OrleansChat.Gateway.Http;

internal static class HealthEndpoints
{
    private static readonly TimeSpan ReadinessTimeout = TimeSpan.FromSeconds(2);

    public static void MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", () => Results.Json(new { status = "alive" }));

        endpoints.MapGet("/readyz", async (IGrainFactory grains) =>
        {
            try
            {
                await grains.GetGrain<IHealthGrain>(0).Ping().WaitAsync(ReadinessTimeout);
                return Results.Json(new { status = "ready" });
            }
            catch (Exception)
            {
                return Results.Json(new { status = "unavailable" }, statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        });
    }
}
