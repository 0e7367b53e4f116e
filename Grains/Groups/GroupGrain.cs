using Microsoft.Extensions.Logging;
using Orleans.Streams;
using OrleansChat.History;
using OrleansChat.Users;

namespace OrleansChat.Groups;

public sealed class GroupGrain(
    [PersistentState("members", StorageNames.Chat)] IPersistentState<GroupMembersState> members,
    [PersistentState("head", StorageNames.Chat)] IPersistentState<GroupHeadState> head,
    TimeProvider clock,
    ILogger<GroupGrain> logger) : Grain, IGroupGrain
{
    private readonly Queue<PendingPublish> _pending = new();
    private readonly GroupPresence _presence = new();
    private bool _writing;
    private Task<RecentClientMessageIds>? _recentIds;
    private IAsyncStream<GroupEvent> _stream = null!;

    private string Name => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _stream = this.GetStreamProvider(GroupStream.ProviderName).GetStream<GroupEvent>(GroupStream.For(Name));
        return Task.CompletedTask;
    }

    public async Task<JoinOutcome> Join(string userId, string username, bool online)
    {
        if (!Names.IsValidGroup(Name))
        {
            throw Fail.BadRequest("group must be 1 to 64 characters of A-Z a-z 0-9 _ . -");
        }

        var state = members.State;
        var wasMember = state.Members.ContainsKey(userId);
        if (!wasMember)
        {
            var created = !state.Exists;
            state.Members[userId] = username;
            state.Exists = true;
            if (created)
            {
                state.CreatedAt = clock.UtcNowToMillisecond();
            }

            try
            {
                await members.WriteStateAsync();
            }
            catch
            {
                state.Members.Remove(userId);
                state.Exists = !created;
                throw;
            }

            _presence.Set(userId, online);
            await Publish(new PresenceChanged(userId, username, PresenceStatus.Joined));
        }

        return new JoinOutcome(head.State.LastSeq, await ListMembers(), wasMember);
    }

    public async Task Leave(string userId)
    {
        var username = RequireMember(userId);
        members.State.Members.Remove(userId);
        try
        {
            await members.WriteStateAsync();
        }
        catch
        {
            members.State.Members[userId] = username;
            throw;
        }

        _presence.Forget(userId);
        await Publish(new PresenceChanged(userId, username, PresenceStatus.Left));
    }

    public async Task<PublishReceipt> Publish(string userId, string text, string? clientMsgId)
    {
        var username = RequireMember(userId);
        if (string.IsNullOrEmpty(text))
        {
            throw Fail.BadRequest("text must not be empty");
        }

        if (Names.CodePointLength(text) > ChatLimits.TextMaxLength)
        {
            throw Fail.TooLarge($"text is longer than {ChatLimits.TextMaxLength} characters");
        }

        RecentClientMessageIds? recentIds = null;
        if (clientMsgId is not null)
        {
            recentIds = await RecentClientMessageIds();
            if (recentIds.TryGet(userId, clientMsgId, out var earlier))
            {
                return await earlier;
            }
        }

        var publish = new PendingPublish(userId, username, text, clientMsgId);
        if (clientMsgId is not null)
        {
            recentIds!.AddPending(userId, clientMsgId, publish.Receipt);
        }

        _pending.Enqueue(publish);
        if (!_writing)
        {
            WriteQueuedMessages().Ignore();
        }

        return await publish.Receipt;
    }

    public async Task<IReadOnlyList<MemberInfo>> GetMembers(string userId)
    {
        RequireMember(userId);
        return await ListMembers();
    }

    public Task<long> GetLastSeq()
    {
        RequireExists();
        return Task.FromResult(head.State.LastSeq);
    }

    public Task Typing(string userId)
    {
        var username = RequireMember(userId);
        return Publish(new UserTyping(userId, username));
    }

    public Task SetPresence(string userId, bool online)
    {
        if (!members.State.Members.TryGetValue(userId, out var username) || !_presence.Set(userId, online))
        {
            return Task.CompletedTask;
        }

        return Publish(new PresenceChanged(userId, username, online ? PresenceStatus.Online : PresenceStatus.Offline));
    }

    public Task<HeadPage> GetHead(string? userId)
    {
        if (userId is not null)
        {
            RequireMember(userId);
        }

        var state = head.State;
        return Task.FromResult(new HeadPage(state.PageIndex, state.Messages.ToArray(), state.LastSeq));
    }

    /// <summary>
    /// Group commit: one loop writes whatever publishes queued up while the previous write was in
    /// flight, as one storage write, and answers each of them once that write is durable.
    /// </summary>
    private async Task WriteQueuedMessages()
    {
        _writing = true;
        try
        {
            while (_pending.Count > 0)
            {
                await WriteOneBatch();
            }
        }
        finally
        {
            _writing = false;
        }
    }

    private async Task WriteOneBatch()
    {
        var before = head.State;
        try
        {
            if (before.IsFull)
            {
                await SealPage(before);
            }

            var page = before.IsFull ? new GroupHeadState { PageIndex = before.PageIndex + 1 } : before;
            var batch = new List<PendingPublish>();
            while (batch.Count < page.Room && _pending.TryDequeue(out var publish))
            {
                batch.Add(publish);
            }

            var ts = clock.UtcNowToMillisecond();
            var stored = batch
                .Select((publish, i) => new ChatMessage(page.LastSeq + i + 1, publish.UserId, publish.Username, publish.Text, ts, publish.ClientMsgId))
                .ToList();
            head.State = new GroupHeadState { PageIndex = page.PageIndex, Messages = [.. page.Messages, .. stored] };
            await WriteHead(before, batch);

            var recentIds = _recentIds is { IsCompletedSuccessfully: true } ? _recentIds.Result : null;
            foreach (var (publish, message) in batch.Zip(stored))
            {
                recentIds?.Stored(message, head.State.LastSeq);
                publish.Stored(new PublishReceipt(message.Seq, message.Ts));
            }

            await Publish(new MessagesStored(stored));
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Storing messages of group {Group} failed", Name);
            FailAllPending();
        }
    }

    private async Task WriteHead(GroupHeadState before, List<PendingPublish> batch)
    {
        try
        {
            await head.WriteStateAsync();
        }
        catch
        {
            head.State = before;
            foreach (var publish in batch)
            {
                Forget(publish);
                publish.Failed(Fail.Unavailable("the message could not be stored; retry"));
            }

            // The write may have reached storage after all; reload the true state before writing again.
            DeactivateOnIdle();
            throw;
        }
    }

    private async Task SealPage(GroupHeadState full)
    {
        var key = new HistoryPageKey(Name, full.PageIndex).ToGrainKey();
        await GrainFactory.GetGrain<IHistoryPageGrain>(key).Seal(full.Messages.ToArray());
    }

    private void FailAllPending()
    {
        while (_pending.TryDequeue(out var publish))
        {
            Forget(publish);
            publish.Failed(Fail.Unavailable("the message could not be stored; retry"));
        }
    }

    private void Forget(PendingPublish publish)
    {
        if (publish.ClientMsgId is { } clientMsgId && _recentIds is { IsCompletedSuccessfully: true } recentIds)
        {
            recentIds.Result.RemovePending(publish.UserId, clientMsgId);
        }
    }

    private async Task<RecentClientMessageIds> RecentClientMessageIds()
    {
        try
        {
            return await (_recentIds ??= LoadRecentClientMessageIds());
        }
        catch (Exception ex)
        {
            _recentIds = null;
            logger.LogWarning(ex, "Could not load recent clientMsgIds of group {Group}", Name);
            throw Fail.Unavailable("history is not readable right now; retry");
        }
    }

    /// <summary>Rebuilds the idempotency window from the newest pages, once per activation.</summary>
    private async Task<RecentClientMessageIds> LoadRecentClientMessageIds()
    {
        var newest = head.State;
        var messages = new List<ChatMessage>(newest.Messages);
        var oldestWanted = newest.LastSeq - ChatLimits.IdempotencyWindow + 1;
        for (var index = newest.PageIndex - 1; index >= 0 && (index + 1) * HistoryPaging.PageCapacity >= oldestWanted; index--)
        {
            var key = new HistoryPageKey(Name, index).ToGrainKey();
            messages.InsertRange(0, await GrainFactory.GetGrain<IHistoryPageGrain>(key).GetMessages());
        }

        var recentIds = new RecentClientMessageIds();
        foreach (var message in messages.Where(message => message.Seq >= oldestWanted))
        {
            recentIds.Stored(message, newest.LastSeq);
        }

        return recentIds;
    }

    private async Task<IReadOnlyList<MemberInfo>> ListMembers()
    {
        await _presence.EnsureKnown(members.State.Members.Keys, userId => GrainFactory.GetGrain<IUserGrain>(userId).IsOnline());
        return members.State.Members
            .Select(member => new MemberInfo(member.Key, member.Value, _presence.IsOnline(member.Key)))
            .OrderBy(member => member.Username, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    private async Task Publish(GroupEvent groupEvent)
    {
        try
        {
            await _stream.OnNextAsync(groupEvent);
        }
        catch (Exception ex)
        {
            // Live delivery is best effort: gateways repair missed messages from history.
            logger.LogWarning(ex, "Could not publish {Event} to the stream of group {Group}", groupEvent.GetType().Name, Name);
        }
    }

    private void RequireExists()
    {
        if (!members.State.Exists)
        {
            throw Fail.NotFound($"no group named {Name}");
        }
    }

    private string RequireMember(string userId)
    {
        RequireExists();
        return members.State.Members.TryGetValue(userId, out var username)
            ? username
            : throw Fail.Forbidden($"not a member of {Name}");
    }
}
