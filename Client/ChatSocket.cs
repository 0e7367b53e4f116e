using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace OrleansChat.Client;

/// <summary>
/// One WebSocket speaking the protocol's framing: requests get a fresh id and their reply is matched
/// back to them; every other frame (events, replies to frames sent raw) is queued on <see cref="Frames"/>.
/// The raw layer under <see cref="ChatClient"/>, and what protocol tests use to send malformed frames.
/// </summary>
public sealed class ChatSocket : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly Channel<JsonElement> _frames = Channel.CreateUnbounded<JsonElement>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<string, TaskCompletionSource<JsonElement>> _pending = [];
    private readonly TaskCompletionSource<WebSocketCloseStatus?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private long _nextId;

    private ChatSocket(ClientWebSocket socket, TimeSpan requestTimeout)
    {
        _socket = socket;
        RequestTimeout = requestTimeout;
        _ = ReceiveLoopAsync();
    }

    public TimeSpan RequestTimeout { get; }

    public WebSocketState State => _socket.State;

    /// <summary>Frames that answered no pending request. Completes when the socket closes.</summary>
    public ChannelReader<JsonElement> Frames => _frames.Reader;

    /// <summary>Completes with the server's close status (null if the connection just dropped).</summary>
    public Task<WebSocketCloseStatus?> Closed => _closed.Task;

    /// <summary>The reason the server gave with its close frame, once <see cref="Closed"/> has completed.</summary>
    public string? CloseReason => _socket.CloseStatusDescription;

    /// <summary>Connects to a server given as http(s)://host:port or as the full ws(s)://host:port/ws address.</summary>
    public static async Task<ChatSocket> ConnectAsync(Uri server, TimeSpan? requestTimeout = null, CancellationToken cancellationToken = default)
    {
        var socket = new ClientWebSocket();
        try
        {
            await socket.ConnectAsync(WebSocketAddress(server), cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new ChatSocket(socket, requestTimeout ?? TimeSpan.FromSeconds(30));
    }

    public static Uri WebSocketAddress(Uri server)
    {
        var scheme = server.Scheme switch
        {
            "https" or "wss" => "wss",
            _ => "ws",
        };
        var path = server.AbsolutePath.EndsWith("/ws", StringComparison.Ordinal) ? server.AbsolutePath : server.AbsolutePath.TrimEnd('/') + "/ws";
        return new UriBuilder(server) { Scheme = scheme, Path = path }.Uri;
    }

    /// <summary>Sends a request (any object serialising to a JSON object with a "type") and returns its reply.</summary>
    public async Task<JsonElement> RequestAsync(object request, CancellationToken cancellationToken = default)
    {
        var frame = request as JsonObject ?? JsonSerializer.SerializeToNode(request)?.AsObject()
            ?? throw new ArgumentException("a request must serialise to a JSON object", nameof(request));
        var id = $"c{Interlocked.Increment(ref _nextId)}";
        frame["id"] = id;
        var reply = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_pending)
        {
            _pending[id] = reply;
        }

        try
        {
            await SendTextAsync(frame.ToJsonString(), cancellationToken);
            return await reply.Task.WaitAsync(RequestTimeout, cancellationToken);
        }
        finally
        {
            lock (_pending)
            {
                _pending.Remove(id);
            }
        }
    }

    public Task SendTextAsync(string text, CancellationToken cancellationToken = default) =>
        SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, cancellationToken);

    public async Task SendAsync(byte[] payload, WebSocketMessageType type, CancellationToken cancellationToken = default)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(payload, type, endOfMessage: true, cancellationToken);
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException || IsAbort(ex, cancellationToken))
        {
            throw new ChatDisconnectedException("the connection to the chat server is closed", ex);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Completes the close handshake (or drops the connection if the server does not answer).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception ex) when (ex is WebSocketException or TimeoutException or ObjectDisposedException || IsAbort(ex, CancellationToken.None))
            {
                _socket.Abort();
            }
        }

        _socket.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
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
                if (result.EndOfMessage)
                {
                    Dispatch(JsonDocument.Parse(message.GetBuffer().AsMemory(0, (int)message.Length)).RootElement.Clone());
                    message.SetLength(0);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or JsonException || IsAbort(ex, CancellationToken.None))
        {
            _closed.TrySetResult(_socket.CloseStatus);
        }
        finally
        {
            _frames.Writer.TryComplete();
            FailPending();
        }
    }

    /// <summary>
    /// An operation on a socket that was aborted under it (the connection reset, or disposed while sending)
    /// ends with an OperationCanceledException nobody asked for; to callers that is a lost connection.
    /// </summary>
    private static bool IsAbort(Exception ex, CancellationToken cancellationToken) =>
        ex is OperationCanceledException && !cancellationToken.IsCancellationRequested;

    private void Dispatch(JsonElement frame)
    {
        if (frame.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && IdOf(id) is { } key)
        {
            TaskCompletionSource<JsonElement>? reply;
            lock (_pending)
            {
                _pending.Remove(key, out reply);
            }

            if (reply is not null)
            {
                reply.TrySetResult(frame);
                return;
            }
        }

        _frames.Writer.TryWrite(frame);
    }

    /// <summary>
    /// The id a reply repeats; null for one that no string can hold (the server repeats an invalid id, e.g. a
    /// lone surrogate, exactly as it was sent), which answers none of our requests.
    /// </summary>
    private static string? IdOf(JsonElement id)
    {
        try
        {
            return id.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private void FailPending()
    {
        List<TaskCompletionSource<JsonElement>> pending;
        lock (_pending)
        {
            pending = [.. _pending.Values];
            _pending.Clear();
        }

        foreach (var reply in pending)
        {
            reply.TrySetException(new ChatDisconnectedException("the connection closed before the reply arrived"));
        }
    }
}
