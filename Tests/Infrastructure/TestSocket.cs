using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace OrleansChat.Tests.Infrastructure;

/// <summary>
/// A protocol client over a real ClientWebSocket. Replies whose id matches a pending request complete
/// that request; every other frame (events, replies to raw frames) is queued for <see cref="NextFrameAsync"/>.
/// </summary>
public sealed class TestSocket : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly ClientWebSocket _socket;
    private readonly Channel<JsonElement> _frames = Channel.CreateUnbounded<JsonElement>();
    private readonly Dictionary<string, TaskCompletionSource<JsonElement>> _pending = [];
    private readonly TaskCompletionSource<WebSocketCloseStatus?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private int _nextId;

    private TestSocket(ClientWebSocket socket)
    {
        _socket = socket;
        _ = ReceiveLoopAsync();
    }

    public static async Task<TestSocket> ConnectAsync(Uri uri)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(uri, CancellationToken.None).WaitAsync(Timeout);
        return new TestSocket(socket);
    }

    public WebSocketState State => _socket.State;

    /// <summary>Sends a request with a fresh id and returns the reply carrying that id.</summary>
    public async Task<JsonElement> RequestAsync(object request)
    {
        var id = $"r{Interlocked.Increment(ref _nextId)}";
        var node = JsonSerializer.SerializeToNode(request)!.AsObject();
        node["id"] = id;
        var reply = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_pending)
        {
            _pending[id] = reply;
        }

        await SendTextAsync(node.ToJsonString());
        return await reply.Task.WaitAsync(Timeout);
    }

    /// <summary>Sends a request and fails the test unless the reply is ok.</summary>
    public async Task<JsonElement> OkAsync(object request)
    {
        var reply = await RequestAsync(request);
        if (reply.GetProperty("type").GetString() != "ok")
        {
            throw new InvalidOperationException($"expected ok for {JsonSerializer.Serialize(request)}, got {reply}");
        }

        return reply;
    }

    public Task SendTextAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text);

    public async Task SendAsync(byte[] payload, WebSocketMessageType type)
    {
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(payload, type, endOfMessage: true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>The next frame that did not answer a pending request (an event, or a reply to a raw frame).</summary>
    public async Task<JsonElement> NextFrameAsync() => await _frames.Reader.ReadAsync().AsTask().WaitAsync(Timeout);

    /// <summary>Skips frames until one matches; fails on timeout.</summary>
    public async Task<JsonElement> NextFrameAsync(Func<JsonElement, bool> match)
    {
        while (true)
        {
            var frame = await NextFrameAsync();
            if (match(frame))
            {
                return frame;
            }
        }
    }

    public Task<JsonElement> NextEventAsync(string type, string? group = null) =>
        NextFrameAsync(frame => frame.GetProperty("type").GetString() == type
            && (group is null || frame.GetProperty("group").GetString() == group));

    /// <summary>
    /// The frames that arrive before the reply to a ping sent now: since a socket's frames leave the
    /// server in order, this is everything already queued for this socket.
    /// </summary>
    public async Task<List<JsonElement>> DrainAsync()
    {
        var marker = $"drain{Interlocked.Increment(ref _nextId)}";
        await SendTextAsync($$"""{"type":"ping","id":"{{marker}}"}""");
        var frames = new List<JsonElement>();
        while (true)
        {
            var frame = await NextFrameAsync();
            if (frame.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() == marker)
            {
                return frames;
            }

            frames.Add(frame);
        }
    }

    public Task<WebSocketCloseStatus?> ClosedAsync() => _closed.Task.WaitAsync(Timeout);

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None).WaitAsync(Timeout);
            }
            catch (Exception ex) when (ex is WebSocketException or TimeoutException)
            {
                _socket.Abort();
            }
        }

        _socket.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[1 << 16];
        try
        {
            while (true)
            {
                using var message = new MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        _closed.TrySetResult(result.CloseStatus);
                        if (_socket.State == WebSocketState.CloseReceived)
                        {
                            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                        }

                        return;
                    }

                    message.Write(buffer, 0, result.Count);
                }
                while (!result.EndOfMessage);

                Dispatch(JsonDocument.Parse(message.ToArray()).RootElement.Clone());
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException)
        {
            _closed.TrySetResult(_socket.CloseStatus);
        }
        finally
        {
            _frames.Writer.TryComplete();
        }
    }

    private void Dispatch(JsonElement frame)
    {
        if (frame.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String)
        {
            TaskCompletionSource<JsonElement>? reply;
            lock (_pending)
            {
                _pending.Remove(idElement.GetString()!, out reply);
            }

            if (reply is not null)
            {
                reply.TrySetResult(frame);
                return;
            }
        }

        _frames.Writer.TryWrite(frame);
    }
}
