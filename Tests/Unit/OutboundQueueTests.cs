using System.Net.WebSockets;
using System.Text;
using OrleansChat.Gateway.Sockets;

namespace OrleansChat.Tests.Unit;

[Trait("Category", "Unit")]
public sealed class OutboundQueueTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Frames_ArriveInTheOrderSent_FromEitherWriterStart()
    {
        using var pair = await SocketPair.OpenAsync();
        var queue = new OutboundQueue(pair.Server, maxQueuedBytes: 1 << 20, closeTimeout: Timeout, OutboundBudget.Unlimited);

        for (var i = 0; i < 200; i++)
        {
            Assert.True(queue.Send(Frame($"m{i}"), writeHere: i % 2 == 0));
        }

        for (var i = 0; i < 200; i++)
        {
            Assert.Equal($"m{i}", await ReceiveTextAsync(pair.Client));
        }
    }

    [Fact]
    public async Task Close_SendsTheQueuedFramesThenTheCloseFrame()
    {
        using var pair = await SocketPair.OpenAsync();
        var queue = new OutboundQueue(pair.Server, maxQueuedBytes: 1 << 20, closeTimeout: Timeout, OutboundBudget.Unlimited);

        queue.Send(Frame("last words"));
        queue.Close(WebSocketCloseStatus.EndpointUnavailable, "server shutting down");

        Assert.True(queue.IsClosing);
        Assert.False(queue.Send(Frame("too late")));
        Assert.Equal("last words", await ReceiveTextAsync(pair.Client));
        var close = await pair.Client.ReceiveAsync(new byte[64], CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(WebSocketMessageType.Close, close.MessageType);
        Assert.Equal((WebSocketCloseStatus.EndpointUnavailable, "server shutting down"), (pair.Client.CloseStatus, pair.Client.CloseStatusDescription));
        await queue.Completion.WaitAsync(Timeout);
    }

    [Fact]
    public async Task ClientNotReading_PastTheByteBound_ClosedWith1013AndNothingMoreQueued()
    {
        using var pair = await SocketPair.OpenAsync(bufferBytes: 4096);
        const int maxQueuedBytes = 64 * 1024;
        var queue = new OutboundQueue(pair.Server, maxQueuedBytes, closeTimeout: Timeout, OutboundBudget.Unlimited);
        var frame = new byte[1024];
        Array.Fill(frame, (byte)'x');

        // The kernel's buffers take some frames; the rest wait in the queue until the bound is passed.
        var sent = 0;
        while (queue.Send(frame))
        {
            sent++;
            Assert.True(sent < 10_000, "the queue never refused a frame");
        }

        Assert.True(queue.IsClosing);
        Assert.True(sent * frame.Length > maxQueuedBytes);
        Assert.False(queue.Send(frame));

        // Once the client reads again it gets what the kernel held, then the close: the queued rest is dropped.
        Assert.Equal(OutboundQueue.TryAgainLater, await CloseStatusSeenByClientAsync(pair.Client));
        await queue.Completion.WaitAsync(Timeout);
    }

    private static byte[] Frame(string text) => Encoding.UTF8.GetBytes(text);

    private static async Task<string> ReceiveTextAsync(WebSocket socket)
    {
        var buffer = new byte[4096];
        var result = await socket.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(WebSocketMessageType.Text, result.MessageType);
        Assert.True(result.EndOfMessage);
        return Encoding.UTF8.GetString(buffer, 0, result.Count);
    }

    /// <summary>Reads past whatever data frames got through, to the close frame.</summary>
    private static async Task<WebSocketCloseStatus?> CloseStatusSeenByClientAsync(WebSocket socket)
    {
        var buffer = new byte[8192];
        while ((await socket.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(Timeout)).MessageType != WebSocketMessageType.Close)
        {
        }

        return socket.CloseStatus;
    }
}
