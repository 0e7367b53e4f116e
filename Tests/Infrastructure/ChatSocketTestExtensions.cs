using System.Net.WebSockets;
using System.Text.Json;
using OrleansChat.Client;

namespace OrleansChat.Tests.Infrastructure;

/// <summary>Waiting on a <see cref="ChatSocket"/> with the tests' timeout, and asserting on its frames.</summary>
public static class ChatSocketTestExtensions
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>Sends a request and fails the test unless the reply is ok.</summary>
    public static async Task<JsonElement> OkAsync(this ChatSocket socket, object request)
    {
        var reply = await socket.RequestAsync(request);
        if (reply.GetProperty("type").GetString() != "ok")
        {
            throw new InvalidOperationException($"expected ok for {JsonSerializer.Serialize(request)}, got {reply}");
        }

        return reply;
    }

    /// <summary>The next frame that did not answer a pending request (an event, or a reply to a raw frame).</summary>
    public static async Task<JsonElement> NextFrameAsync(this ChatSocket socket) =>
        await socket.Frames.ReadAsync().AsTask().WaitAsync(Timeout);

    /// <summary>Skips frames until one matches; fails on timeout.</summary>
    public static async Task<JsonElement> NextFrameAsync(this ChatSocket socket, Func<JsonElement, bool> match)
    {
        while (true)
        {
            var frame = await socket.NextFrameAsync();
            if (match(frame))
            {
                return frame;
            }
        }
    }

    public static Task<JsonElement> NextEventAsync(this ChatSocket socket, string type, string? group = null) =>
        socket.NextFrameAsync(frame => frame.GetProperty("type").GetString() == type
            && (group is null || frame.GetProperty("group").GetString() == group));

    /// <summary>
    /// The frames that arrive before the reply to a ping sent now: since a socket's frames leave the
    /// server in order, this is everything already queued for this socket.
    /// </summary>
    public static async Task<List<JsonElement>> DrainAsync(this ChatSocket socket)
    {
        var marker = $"drain{Guid.NewGuid():N}";
        await socket.SendTextAsync($$"""{"type":"ping","id":"{{marker}}"}""");
        var frames = new List<JsonElement>();
        while (true)
        {
            var frame = await socket.NextFrameAsync();
            if (frame.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() == marker)
            {
                return frames;
            }

            frames.Add(frame);
        }
    }

    public static Task<WebSocketCloseStatus?> ClosedAsync(this ChatSocket socket) => socket.Closed.WaitAsync(Timeout);
}
