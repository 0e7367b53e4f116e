using System.Threading.Channels;
using Orleans.Streams;
using OrleansChat.Conversations;
using OrleansChat.Errors;
using OrleansChat.Gateway.Metrics;
using OrleansChat.Gateway.Protocol;
using OrleansChat.Groups;
using OrleansChat.History;

namespace OrleansChat.Gateway.Fanout;

/// <summary>
/// Relays one conversation's stream (a group's, or a direct conversation's: <see cref="ConversationKey"/>) to its
/// receivers on this gateway. All work runs on one loop, so the
/// seq bookkeeping needs no locks: the relay remembers the last seq it forwarded and, when an event shows
/// a gap (or a tail check shows the group is ahead), reads the missing messages from history first. Each
/// socket thus sees every seq after its start once, in order.
/// </summary>
internal sealed class GroupRelay
{
    private const int RepairBatch = 200;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly string _group;
    private readonly ConversationKey _conversation;
    private readonly string _messageFrameType;
    private readonly IClusterClient _cluster;
    private readonly GroupReceivers _receivers;
    private readonly GatewayMetrics _metrics;
    private readonly ILogger<GroupRelay> _logger;
    private readonly Action<string, string, long> _unfollowUser;
    private readonly Channel<RelayWork> _work = Channel.CreateUnbounded<RelayWork>(new UnboundedChannelOptions { SingleReader = true });
    private long _lastForwarded;
    private StreamSubscriptionHandle<GroupEvent>? _subscription;
    private bool _subscribedBefore;

    /// <param name="unfollowUser">
    /// Ends the follows of a user's sockets of this group here (group, userId, the last seq forwarded to them).
    /// </param>
    public GroupRelay(string group, long startSeq, GroupReceivers receivers, IClusterClient cluster, GatewayMetrics metrics, ILogger<GroupRelay> logger, Action<string, string, long> unfollowUser)
    {
        _unfollowUser = unfollowUser;
        _group = group;
        _conversation = ConversationKey.Parse(group);
        _messageFrameType = _conversation.IsDirect ? "direct" : "message";
        _lastForwarded = startSeq;
        _receivers = receivers;
        _cluster = cluster;
        _metrics = metrics;
        _logger = logger;
        _work.Writer.TryWrite(new RelayWork.Subscribe());
        _ = RunAsync();
    }

    /// <summary>How late this group's messages reach the sockets here, for the overload guard.</summary>
    public DeliveryLag Lag { get; } = new();

    /// <summary>Makes a new receiver live, after catching it up; the task completes once it is.</summary>
    public Task Admit(Receiver receiver)
    {
        var admitted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_work.Writer.TryWrite(new RelayWork.Admit(receiver, admitted)))
        {
            admitted.TrySetResult();
        }

        return admitted.Task;
    }

    public void CheckTail() => _work.Writer.TryWrite(new RelayWork.CheckTail());

    public void Resubscribe() => _work.Writer.TryWrite(new RelayWork.Subscribe());

    public void Stop()
    {
        _work.Writer.TryWrite(new RelayWork.Unsubscribe());
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
                    RelayWork.Event e => OnEventAsync(e.GroupEvent),
                    RelayWork.Admit a => AdmitAsync(a),
                    RelayWork.CheckTail => CheckTailAsync(),
                    RelayWork.Subscribe => SubscribeAsync(),
                    RelayWork.Unsubscribe => UnsubscribeAsync(),
                    _ => Task.CompletedTask,
                });
            }
            catch (Exception ex)
            {
                // Whatever was missed is repaired from history by the next event or tail check.
                _logger.LogWarning(ex, "Relay of group {Group} failed on {Work}", _group, work.GetType().Name);
            }
        }
    }

    private async Task CheckTailAsync()
    {
        if (await AsAMemberAsync(async member => (long?)await _conversation.Log(_cluster).GetLastSeq(member)) is { } lastSeq)
        {
            await RepairThroughAsync(lastSeq);
        }
    }

    private async Task SubscribeAsync()
    {
        if (_subscribedBefore)
        {
            _metrics.Resubscribed();
        }

        _subscribedBefore = true;
        await UnsubscribeAsync();
        var stream = _cluster.GetStreamProvider(GroupStream.ProviderName).GetStream<GroupEvent>(GroupStream.For(_group));
        try
        {
            _subscription = await stream.SubscribeAsync((groupEvent, _) =>
            {
                if (groupEvent is MessagesStored { Messages: [var first, ..] })
                {
                    _metrics.StreamDelivered(DateTime.UtcNow - first.Ts);
                }

                _work.Writer.TryWrite(new RelayWork.Event(groupEvent));
                return Task.CompletedTask;
            });
        }
        catch
        {
            RetryLater(new RelayWork.Subscribe());
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

    private async Task AdmitAsync(RelayWork.Admit admit)
    {
        var (receiver, admitted) = admit;

        // The socket may have unfollowed (or closed) before its turn came, or a failed admission was retried.
        if (receiver.IsAdmitted || !_receivers.Contains(receiver))
        {
            admitted.TrySetResult();
            return;
        }

        // This socket starts behind what the relay already forwarded: send it the difference first.
        if (receiver.StartSeq < _lastForwarded)
        {
            IReadOnlyList<ChatMessage> missed;
            try
            {
                missed = await ReadRangeAsync(receiver.StartSeq, _lastForwarded);
            }
            catch
            {
                RetryLater(admit);
                throw;
            }

            // The socket may have unfollowed while the history was read.
            if (!_receivers.Contains(receiver))
            {
                admitted.TrySetResult();
                return;
            }

            foreach (var message in missed)
            {
                receiver.Socket.Send(MessageFrames.Of(_conversation, message).For(receiver.Socket));
            }

            _metrics.CaughtUp(_messageFrameType, missed.Count);
        }

        receiver.LiveAfter = Math.Max(receiver.StartSeq, _lastForwarded);
        admitted.TrySetResult();
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

                    Forward(message, live: true);
                }

                break;
            case PresenceChanged presence:
                _metrics.FramesSent("presence", _receivers.SendToOthersThan(presence.UserId, ServerFrames.Presence(_group, presence.Username, presence.Status)));
                break;
            case UserTyping typing:
                _metrics.FramesSent("typing", _receivers.SendToOthersThan(typing.UserId, ServerFrames.Typing(_group, typing.Username)));
                break;
            case MemberChanged change:
                _metrics.FramesSent("member", _receivers.SendToRevision2(ServerFrames.Member(_group, change)));
                if (change.Action is MemberAction.Kick or MemberAction.Ban)
                {
                    _unfollowUser(_group, change.UserId, _lastForwarded);
                }

                break;
            case MessageChanged changed:
                var frames = MessageFrames.ChangeOf(_conversation, changed);
                _metrics.FramesSent(changed.Message.Deleted ? "deleted" : "edited", _receivers.SendToRevision2(frames));
                break;
            case GroupDeleted deleted:
                _metrics.FramesSent("group_deleted", _receivers.SendToRevision2(ServerFrames.GroupDeleted(_group, deleted.By)));
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

            _metrics.GapRepaired();
            foreach (var message in missing)
            {
                Forward(message, live: false);
            }
        }
    }

    /// <summary>Queues work again after a pause, for failures the cluster may recover from.</summary>
    private void RetryLater(RelayWork work) =>
        _ = Task.Delay(RetryDelay).ContinueWith(_ => _work.Writer.TryWrite(work), TaskScheduler.Default);

    private async Task<IReadOnlyList<ChatMessage>> ReadRangeAsync(long after, long through) =>
        await AsAMemberAsync(member => _cluster.GetGrain<IHistoryReaderGrain>(_group).ReadRange(member, after, through)) ?? [];

    /// <summary>
    /// Makes a call that the group's grains answer only for a member, on behalf of the users this relay serves:
    /// the first that is still a member (one may have just left); default when none is, as then nobody here is
    /// owed the answer.
    /// </summary>
    private async Task<T?> AsAMemberAsync<T>(Func<string, Task<T>> call)
    {
        foreach (var member in _receivers.All.Select(receiver => receiver.Socket.User?.UserId).OfType<string>().Distinct())
        {
            try
            {
                return await call(member);
            }
            catch (ChatException ex) when (ex.Code == ChatErrorCode.Forbidden)
            {
            }
        }

        return default;
    }

    /// <summary>
    /// Sends the next message once to each live receiver, encoding it once for all. Only messages that came
    /// live off the stream count towards the fan-out latency; repaired ones would measure the gap instead.
    /// Both count towards the delivery lag: a repaired message reached its sockets that late.
    /// </summary>
    private void Forward(ChatMessage message, bool live)
    {
        if (message.Seq != _lastForwarded + 1)
        {
            return;
        }

        _lastForwarded = message.Seq;
        var sockets = _receivers.SendMessage(message.Seq, MessageFrames.Of(_conversation, message));
        var now = DateTime.UtcNow;
        Lag.Forwarded(message.Seq, message.Ts, now);
        _metrics.Delivered(_messageFrameType, sockets, live ? now - message.Ts : null);
    }
}
