using OrleansChat.Errors;
using OrleansChat.Gateway.Http;

namespace OrleansChat.Gateway.Sockets;

internal static class ChatSocketEndpoint
{
    public static void MapChatSocket(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/ws", (HttpContext context, SocketSession session, OriginPolicy origins) =>
            !context.WebSockets.IsWebSocketRequest
                ? ErrorResponses.WriteAsync(context, StatusCodes.Status400BadRequest, ChatErrorCode.BadRequest, "/ws expects a WebSocket upgrade")
                : !origins.Allows(context.Request)
                    ? ErrorResponses.WriteAsync(context, StatusCodes.Status403Forbidden, ChatErrorCode.Forbidden, $"pages from {context.Request.Headers.Origin} may not open a socket here")
                    : session.RunAsync(context));
}
