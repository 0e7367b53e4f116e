using OrleansChat.Errors;
using OrleansChat.Gateway.Http;

namespace OrleansChat.Gateway.Sockets;

internal static class ChatSocketEndpoint
{
    public static void MapChatSocket(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/ws", async (HttpContext context, SocketSession session) =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                await ErrorResponses.WriteAsync(context, StatusCodes.Status400BadRequest, ChatErrorCode.BadRequest, "/ws expects a WebSocket upgrade");
                return;
            }

            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            // Not given RequestAborted: the read loop ends by itself when the connection drops, and the
            // token would cost every idle socket a CancellationTokenSource and a registration.
            await session.RunAsync(socket, context.Connection.RemoteIpAddress);
        });
}
