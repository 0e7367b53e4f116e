using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace OrleansChat.LoadTest;

/// <summary>
/// One measured socket with a lean receive path: frames are scanned with Utf8JsonReader in place, so
/// receiving a message allocates nothing. Checks its group's (or direct conversation's) seqs for loss,
/// duplicates and order.
/// </summary>
internal sealed class LoadSocket : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ConcurrentDictionary<long, TaskCompletionSource<bool>> _setupReplies = new();
    private readonly LoadStatistics _statistics;
    private readonly Lock _seqLock = new();
    private long _nextSetupId = 1_000_000_000;
    private Task _receiving = Task.CompletedTask;

    public LoadSocket(LoadStatistics statistics) => _statistics = statistics;

    public string Group { get; set; } = "";

    /// <summary>The group's seq when this socket joined; messages above it are expected here.</summary>
    public long StartSeq { get; set; }

    /// <summary>Messages with seq at or below this arrived before measuring began and are not counted.</summary>
    public long MeasureAfterSeq { get; private set; } = long.MaxValue;

    public long LastSeq { get; private set; }

    public async Task ConnectAsync(Uri uri, CancellationToken cancellationToken)
    {
        await _socket.ConnectAsync(uri, cancellationToken);
        _receiving = ReceiveAsync();
    }

    /// <summary>A setup request (auth, join): true for ok, false for error.</summary>
    public async Task<bool> RequestAsync(string json, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextSetupId);
        var reply = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        _setupReplies[id] = reply;
        await SendAsync(Encoding.UTF8.GetBytes(json.Insert(1, $"\"id\":\"{id}\",")), cancellationToken);
        return await reply.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
    }

    public async Task SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
            }
        }
        catch (Exception ex) when (ex is WebSocketException or TimeoutException)
        {
            _socket.Abort();
        }

        await _receiving.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        _socket.Dispose();
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[128 * 1024];
        try
        {
            while (true)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                    length += result.Count;
                }
                while (!result.EndOfMessage && length < buffer.Length);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    _statistics.RecordClosed();
                    return;
                }

                OnFrame(buffer.AsSpan(0, length));
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }

    private void OnFrame(ReadOnlySpan<byte> frame)
    {
        var reader = new Utf8JsonReader(frame);
        ReadOnlySpan<byte> type = default;
        long seq = 0, id = -1, sentTimestamp = 0;
        ReadOnlySpan<byte> code = default;
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1)
            {
                continue;
            }

            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                type = reader.ValueSpan;
            }
            else if (reader.ValueTextEquals("seq"u8))
            {
                reader.Read();
                seq = reader.GetInt64();
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                id = Utf8Parser.TryParse(reader.ValueSpan, out long parsedId, out _) ? parsedId : -1;
            }
            else if (reader.ValueTextEquals("code"u8))
            {
                reader.Read();
                code = reader.ValueSpan;
            }
            else if (reader.ValueTextEquals("text"u8))
            {
                reader.Read();
                sentTimestamp = Utf8Parser.TryParse(reader.ValueSpan, out long parsedTimestamp, out _) ? parsedTimestamp : 0;
            }
        }

        if (type.SequenceEqual("message"u8) || type.SequenceEqual("direct"u8))
        {
            OnMessage(seq, sentTimestamp);
        }
        else if (_setupReplies.TryRemove(id, out var reply))
        {
            reply.TrySetResult(type.SequenceEqual("ok"u8));
        }
        else if (type.SequenceEqual("ok"u8))
        {
            _statistics.RecordAck(id);
        }
        else if (type.SequenceEqual("error"u8))
        {
            _statistics.RecordError(Encoding.UTF8.GetString(code), id);
        }
    }

    /// <summary>Counts every message after the last one received so far, atomically with the receive path.</summary>
    public void BeginMeasuring()
    {
        lock (_seqLock)
        {
            MeasureAfterSeq = Math.Max(LastSeq, StartSeq);
        }
    }

    private void OnMessage(long seq, long sentTimestamp)
    {
        lock (_seqLock)
        {
            Track(seq, sentTimestamp);
        }
    }

    private void Track(long seq, long sentTimestamp)
    {
        if (seq <= StartSeq)
        {
            return;
        }

        var last = LastSeq == 0 ? StartSeq : LastSeq;
        if (seq == last + 1)
        {
            LastSeq = seq;
        }
        else if (seq <= last)
        {
            _statistics.RecordDuplicateOrReordered(seq < last);
            return;
        }
        else
        {
            _statistics.RecordGap(seq - last - 1);
            LastSeq = seq;
        }

        if (seq > MeasureAfterSeq)
        {
            _statistics.RecordDelivery(sentTimestamp);
        }
    }
}
