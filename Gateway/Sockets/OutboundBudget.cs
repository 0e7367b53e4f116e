using Microsoft.Extensions.Options;
using OrleansChat.Gateway.Metrics;

namespace OrleansChat.Gateway.Sockets;

/// <summary>
/// The bytes waiting in every socket's outbound queue on this gateway together. Each socket is bounded on its
/// own (<see cref="GatewayOptions.MaxOutboundBytes"/>), but enough slow sockets could still hold all the
/// memory there is; past this budget the sockets holding the most are closed with 1013 until the total is
/// back under nine tenths of it. Those clients reconnect and catch up from history.
/// </summary>
internal sealed class OutboundBudget
{
    private readonly Func<IReadOnlyList<ChatConnection>> _sockets;
    private readonly GatewayMetrics? _metrics;
    private long _queuedBytes;
    private int _shedding;

    public OutboundBudget(IOptions<GatewayOptions> options, ConnectionRegistry registry, GatewayMetrics metrics)
        : this(options.Value.OutboundBudgetBytes ?? DefaultBytes(), registry.All, metrics)
    {
    }

    private OutboundBudget(long limitBytes, Func<IReadOnlyList<ChatConnection>> sockets, GatewayMetrics? metrics)
    {
        LimitBytes = limitBytes;
        _sockets = sockets;
        _metrics = metrics;
    }

    /// <summary>No budget beyond each socket's own bound, and no metrics, for queues outside a gateway (unit tests).</summary>
    public static OutboundBudget Unlimited => new(long.MaxValue, () => [], metrics: null);

    public long LimitBytes { get; }

    public long QueuedBytes => Volatile.Read(ref _queuedBytes);

    /// <summary>Counts bytes queued; true when they take the total past the budget, and the caller is to <see cref="Shed"/>.</summary>
    public bool Queued(long bytes) => Interlocked.Add(ref _queuedBytes, bytes) > LimitBytes;

    public void Released(long bytes) => Interlocked.Add(ref _queuedBytes, -bytes);

    /// <summary>Counts a socket closed for passing its own bound (<see cref="GatewayOptions.MaxOutboundBytes"/>).</summary>
    public void SocketBoundPassed() => _metrics?.SlowConsumerClosed("socket");

    /// <summary>A quarter of the memory this process may use (the container's limit, where there is one).</summary>
    private static long DefaultBytes() => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4;

    /// <summary>
    /// Closes the sockets holding the most until the total is back under nine tenths of the budget. One
    /// sender sheds at a time; the others go on delivering meanwhile. A closed socket's queue is dropped at
    /// once, so the next pass (which sorts every socket) comes only after a tenth of the budget has filled
    /// again. Sockets already closing are passed over: their bytes are on their way out.
    /// </summary>
    public void Shed()
    {
        if (Interlocked.Exchange(ref _shedding, 1) != 0)
        {
            return;
        }

        try
        {
            var excess = QueuedBytes - LimitBytes / 10 * 9;
            foreach (var socket in _sockets().Where(socket => !socket.Outbound.IsClosing).OrderByDescending(socket => socket.Outbound.QueuedBytes))
            {
                var held = socket.Outbound.QueuedBytes;
                if (excess <= 0 || held == 0)
                {
                    break;
                }

                socket.Outbound.Close(OutboundQueue.TryAgainLater, "server short of memory; reconnect and catch up with history");
                _metrics?.SlowConsumerClosed("gateway");
                excess -= held;
            }
        }
        finally
        {
            Volatile.Write(ref _shedding, 0);
        }
    }
}
