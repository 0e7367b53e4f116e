using OrleansChat.Errors;
using OrleansChat.Gateway.Http;

namespace OrleansChat.Gateway.Sockets;

internal static class ChatSocketEndpoint
{
    public static void MapChatSocket(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/ws", (HttpContext context, SocketSession session) =>
            context.WebSockets.IsWebSocketRequest
                ? session.RunAsync(context)
                : ErrorResponses.WriteAsync(context, StatusCodes.Status400BadRequest, ChatErrorCode.BadRequest, "/ws expects a WebSocket upgrade"));
}
