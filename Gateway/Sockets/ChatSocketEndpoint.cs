using OrleansChat.Errors;
using OrleansChat.Gateway.Http;

namespace OrleansChat.Gateway.Sockets;

/// <summary>
/// <c>/ws</c>: an allowed WebSocket upgrade becomes a <see cref="SocketSession"/> as early in the pipeline as it can,
/// anything else gets a JSON error from the endpoint, with the rest of the pipeline's headers.
/// </summary>
internal static class ChatSocketEndpoint
{
    private const string Path = "/ws";

    /// <summary>
    /// Runs allowed upgrades of <c>/ws</c> ahead of the middleware that would keep per-request state for as long as
    /// the socket lives (security headers meant for pages, the status code pages' wrapper, a request service scope):
    /// an idle socket then holds less.
    /// </summary>
    public static IApplicationBuilder UseChatSocketUpgrades(this IApplicationBuilder app)
    {
        var session = app.ApplicationServices.GetRequiredService<SocketSession>();
        var origins = app.ApplicationServices.GetRequiredService<OriginPolicy>();
        return app.Use(next => context =>
            context.Request.Path == Path && context.WebSockets.IsWebSocketRequest && origins.Allows(context.Request)
                ? session.RunAsync(context)
                : next(context));
    }

    /// <summary>The <c>/ws</c> requests <see cref="UseChatSocketUpgrades"/> leaves: not an upgrade, or from a page not allowed.</summary>
    public static void MapChatSocket(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet(Path, (HttpContext context) =>
            !context.WebSockets.IsWebSocketRequest
                ? ErrorResponses.WriteAsync(context, StatusCodes.Status400BadRequest, ChatErrorCode.BadRequest, "/ws expects a WebSocket upgrade")
                : ErrorResponses.WriteAsync(context, StatusCodes.Status403Forbidden, ChatErrorCode.Forbidden, $"pages from {context.Request.Headers.Origin} may not open a socket here"));
}
