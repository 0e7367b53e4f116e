using System.Threading.Channels;
using Orleans.Streams;
using OrleansChat.Gateway.Protocol;
using OrleansChat.Gateway.Sockets;
using OrleansChat.Groups;
using OrleansChat.History;

namespace OrleansChat.Gateway.Fanout;

/// <summary>
/// One group's stream subscription on this gateway and the local sockets that follow it. All work runs
/// on one loop, so the seq bookkeeping needs no locks: the feed remembers the last seq it forwarded and,
/// when an event shows a gap (or a tail check shows the group is ahead), reads the missing messages from
/// history first. Each socket thus sees every seq after its start once, in order.
/// </summary>
internal sealed class GroupFeed
{
    private const int RepairBatch = 200;

    /// <summary>
    /// Up to this many local sockets the feed's loop writes to them itself, which saves a thread-pool hop
    /// per socket; a larger group's writes go to the thread pool so that they spread over the cores rather
    /// than queue behind one loop (5,000 sockets in one group took seconds per message on one thread).
    /// </summary>
    internal const int WriteHereUpTo = 256;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly string _group;
    private readonly IClusterClient _cluster;
    private readonly ILogger<GroupFeed> _logger;
    private readonly Channel<FeedWork> _work = Channel.CreateUnbounded<FeedWork>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<ChatConnection, long> _startSeqs = [];
    private int _attached;
    private long _lastForwarded;
    private StreamSubscriptionHandle<GroupEvent>? _subscription;

    public GroupFeed(string group, long startSeq, IClusterClient cluster, ILogger<GroupFeed> logger)
    {
        _group = group;
        _lastForwarded = startSeq;
        _cluster = cluster;
        _logger = logger;
        _work.Writer.TryWrite(new FeedWork.Subscribe());
        _ = RunAsync();
    }

    /// <summary>Counts synchronously (under the registry's lock) so the registry knows when the feed is unused.</summary>
    public Task Attach(ChatConnection connection, long startSeq)
    {
        _attached++;
        var attached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Writer.TryWrite(new FeedWork.Attach(connection, startSeq, attached));
        return attached.Task;
    }

    public int Detach(ChatConnection connection)
    {
        _attached--;
        _work.Writer.TryWrite(new FeedWork.Detach(connection));
        return _attached;
    }

    public void CheckTail() => _work.Writer.TryWrite(new FeedWork.CheckTail());

    public void Resubscribe() => _work.Writer.TryWrite(new FeedWork.Subscribe());

    public void Stop()
    {
        _work.Writer.TryWrite(new FeedWork.Unsubscribe());
        _work.Writer.TryComplete();
    }

    private async Task RunAsync()
    {
        await foreach (var work in _work.Reader.ReadAllAsync())
        {
            try
            {
                await (work switch
                {
                    FeedWork.Event e => OnEventAsync(e.GroupEvent),
                    FeedWork.Attach a => AttachAsync(a),
                    FeedWork.Detach d => Task.FromResult(_startSeqs.Remove(d.Connection)),
                    FeedWork.CheckTail => RepairThroughAsync(await GroupGrain.GetLastSeq()),
                    FeedWork.Subscribe => SubscribeAsync(),
                    FeedWork.Unsubscribe => UnsubscribeAsync(),
                    _ => Task.CompletedTask,
                });
            }
            catch (Exception ex)
            {
                // Whatever was missed is repaired from history by the next event or tail check.
                _logger.LogWarning(ex, "Feed of group {Group} failed on {Work}", _group, work.GetType().Name);
            }
        }
    }

    private IGroupGrain GroupGrain => _cluster.GetGrain<IGroupGrain>(_group);

    private bool WriteHere => _startSeqs.Count <= WriteHereUpTo;

    private async Task SubscribeAsync()
    {
        await UnsubscribeAsync();
        var stream = _cluster.GetStreamProvider(GroupStream.ProviderName).GetStream<GroupEvent>(GroupStream.For(_group));
        try
        {
            _subscription = await stream.SubscribeAsync((groupEvent, _) =>
            {
                _work.Writer.TryWrite(new FeedWork.Event(groupEvent));
                return Task.CompletedTask;
            });
        }
        catch
        {
            RetryLater(new FeedWork.Subscribe());
            throw;
        }

        // Messages stored before the subscription took effect never arrive on it.
        CheckTail();
    }

    private async Task UnsubscribeAsync()
    {
        if (_subscription is { } subscription)
        {
            _subscription = null;
            await subscription.UnsubscribeAsync();
        }
    }

    private async Task AttachAsync(FeedWork.Attach attach)
    {
        var (connection, startSeq, attached) = attach;

        // A detach (or the socket closing) may have overtaken a retried attach.
        if (_startSeqs.ContainsKey(connection) || !connection.Follows(_group))
        {
            attached.TrySetResult();
            return;
        }

        // This socket starts behind what the feed already forwarded: send it the difference first.
        if (startSeq < _lastForwarded)
        {
            IReadOnlyList<ChatMessage> missed;
            try
            {
                missed = await ReadRangeAsync(startSeq, _lastForwarded);
            }
            catch
            {
                RetryLater(attach);
                throw;
            }

            foreach (var message in missed)
            {
                connection.Send(ServerFrames.Message(_group, message));
            }
        }

        _startSeqs[connection] = startSeq;
        attached.TrySetResult();
    }

    private async Task OnEventAsync(GroupEvent groupEvent)
    {
        switch (groupEvent)
        {
            case MessagesStored stored:
                foreach (var message in stored.Messages)
                {
                    if (message.Seq > _lastForwarded + 1)
                    {
                        await RepairThroughAsync(message.Seq - 1);
                    }

                    Forward(message);
                }

                break;
            case PresenceChanged presence:
                SendExcept(presence.UserId, ServerFrames.Presence(_group, presence.Username, presence.Status));
                break;
            case UserTyping typing:
                SendExcept(typing.UserId, ServerFrames.Typing(_group, typing.Username));
                break;
        }
    }

    private async Task RepairThroughAsync(long through)
    {
        while (_lastForwarded < through)
        {
            var missing = await ReadRangeAsync(_lastForwarded, Math.Min(through, _lastForwarded + RepairBatch));
            if (missing.Count == 0)
            {
                return;
            }

            foreach (var message in missing)
            {
                Forward(message);
            }
        }
    }

    /// <summary>Queues work again after a pause, for failures the cluster may recover from.</summary>
    private void RetryLater(FeedWork work) =>
        _ = Task.Delay(RetryDelay).ContinueWith(_ => _work.Writer.TryWrite(work), TaskScheduler.Default);

    private Task<IReadOnlyList<ChatMessage>> ReadRangeAsync(long after, long through) =>
        _cluster.GetGrain<IHistoryReaderGrain>(_group).ReadRange(after, through);

    /// <summary>Sends a message once to each socket whose start is below it, encoding it once for all.</summary>
    private void Forward(ChatMessage message)
    {
        if (message.Seq != _lastForwarded + 1)
        {
            return;
        }

        _lastForwarded = message.Seq;
        var frame = ServerFrames.Message(_group, message);
        var writeHere = WriteHere;
        foreach (var (connection, startSeq) in _startSeqs)
        {
            if (message.Seq > startSeq)
            {
                connection.Send(frame, writeHere);
            }
        }
    }

    private void SendExcept(string userId, byte[] frame)
    {
        var writeHere = WriteHere;
        foreach (var connection in _startSeqs.Keys)
        {
            if (connection.User?.UserId != userId)
            {
                connection.Send(frame, writeHere);
            }
        }
    }

    private abstract record FeedWork
    {
        public sealed record Event(GroupEvent GroupEvent) : FeedWork;

        public sealed record Attach(ChatConnection Connection, long StartSeq, TaskCompletionSource Attached) : FeedWork;

        public sealed record Detach(ChatConnection Connection) : FeedWork;

        public sealed record CheckTail : FeedWork;

        public sealed record Subscribe : FeedWork;

        public sealed record Unsubscribe : FeedWork;
    }
}
