using Microsoft.Extensions.Logging;
using OrleansChat.Conversations;
using OrleansChat.Groups;
using OrleansChat.History;
using OrleansChat.Rules;
using OrleansChat.Users;

namespace OrleansChat.Direct;

/// <summary>
/// The direct conversation of two users: the same pipeline and stream as a group's messages (durable before
/// the answer, gapless seqs, clientMsgId retries), with membership being the key itself. Every method checks
/// that the caller is one of the two, whoever calls.
/// </summary>
/// <remarks>
/// Calls to user grains go one way only (this grain to users, never awaited back on a method of this grain that
/// does not interleave), so a user grain reading its conversations' seqs, or taking one off its list, never
/// deadlocks with a message.
/// </remarks>
public sealed class DirectGrain(
    [PersistentState("pair", StorageNames.Chat)] IPersistentState<DirectPairState> pair,
    [PersistentState("head", StorageNames.Chat)] IPersistentState<GroupHeadState> head,
    [PersistentState("changes", StorageNames.Chat)] IPersistentState<ChangesState> changes,
    TimeProvider clock,
    ILogger<DirectGrain> logger) : Grain, IDirectGrain
{
    // Listing, unlisting and (un)blocking all write the pair state, one write after the other.
    private Task _pairWrites = Task.CompletedTask;

    // How often each participant's list let the conversation go in this activation: a listing that began before
    // an unlisting must not mark that user listed when it completes.
    private readonly Dictionary<string, int> _unlistings = [];
    private ConversationKey _key;
    private MessageChangeLog _changeLog = null!;
    private PublishPipeline _messages = null!;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _key = ConversationKey.Parse(this.GetPrimaryKeyString());
        if (!_key.IsDirect)
        {
            throw new InvalidOperationException($"{_key} is not a direct conversation");
        }

        // A pair written before message requests: both lists held it.
        if (pair.State.Introduced && pair.State.ListedBy.Count == 0)
        {
            pair.State.ListedBy = [_key.First!, _key.Second!];
        }

        var stream = this.GetStreamProvider(GroupStream.ProviderName).GetStream<GroupEvent>(GroupStream.For(_key.ToGrainKey()));
        var events = new GroupEventStream(stream, _key.ToGrainKey(), logger);
        _changeLog = new MessageChangeLog(changes);
        _messages = new PublishPipeline(
            _key.ToGrainKey(), head, _changeLog, GrainFactory, clock, logger,
            onStored: stored => events.EmitAsync(new MessagesStored(stored)),
            onChanged: (changed, rev) => events.EmitAsync(new MessageChanged(changed, rev)),
            onWriteUncertain: DeactivateOnIdle);
        return Task.CompletedTask;
    }

    public async Task<DirectReceipt> Send(string fromUserId, string text, string? clientMsgId)
    {
        RequireParticipant(fromUserId);
        ChatRules.TextLength.Require(ChatRules.TextNotEmpty.Require(text));
        if (clientMsgId is not null)
        {
            ChatRules.ClientMsgId.Require(clientMsgId);
        }

        var peerId = _key.PeerOf(fromUserId);
        RefuseIfBlocked(fromUserId, peerId);
        var listed = pair.State;
        if (!listed.ListedBy.Contains(fromUserId) || listed.RequestFor.Contains(fromUserId) || !listed.ListedBy.Contains(peerId))
        {
            await ListAsync(fromUserId, peerId);
        }

        var usernames = pair.State.Usernames;
        var receipt = await _messages.PublishAsync(fromUserId, usernames[fromUserId], text, clientMsgId, to: usernames[peerId]);
        return new DirectReceipt(receipt.Seq, receipt.Ts, usernames[peerId]);
    }

    public async Task<UserIdentity> SetBlocked(string userId, bool blocked)
    {
        RequireParticipant(userId);
        var peer = await User(_key.PeerOf(userId)).Describe();
        if (pair.State.BlockedBy.Contains(userId) == blocked)
        {
            return peer;
        }

        // The blocker's list first: at its limit the block is refused before anything is stored.
        await User(userId).ConversationBlockChanged(new ConversationListing(peer.UserId, peer.Username, Request: false, _messages.LastSeq), blocked);
        await ChangePairAsync(state =>
        {
            state.Usernames[peer.UserId] = peer.Username;

            // Blocking lists the conversation as the blocker's own, never a request (unblocking keeps it listed).
            state.ListedBy.Add(userId);
            state.RequestFor.Remove(userId);
            if (blocked)
            {
                state.BlockedBy.Add(userId);
            }
            else
            {
                state.BlockedBy.Remove(userId);
            }
        });

        return peer;
    }

    public Task Unlist(string userId)
    {
        RequireParticipant(userId);
        _unlistings[userId] = UnlistingsOf(userId) + 1;
        return pair.State.ListedBy.Contains(userId)
            ? ChangePairAsync(state =>
            {
                state.ListedBy.Remove(userId);
                state.RequestFor.Remove(userId);
            })
            : Task.CompletedTask;
    }

    public Task RequireMember(string userId)
    {
        RequireParticipant(userId);
        return Task.CompletedTask;
    }

    public Task<long> GetLastSeq(string userId)
    {
        RequireParticipant(userId);
        return Task.FromResult(_messages.LastSeq);
    }

    public Task<LogPosition> GetPosition(string userId)
    {
        RequireParticipant(userId);
        return Task.FromResult(new LogPosition(_messages.LastSeq, _changeLog.Rev));
    }

    public Task<ChangedSeqs> GetChanges(string userId, long afterRev, int limit)
    {
        RequireParticipant(userId);
        return Task.FromResult(_changeLog.Since(afterRev, limit));
    }

    public async Task<HeadPage> GetHead(string userId)
    {
        RequireParticipant(userId);
        if (pair.State.ListedBy.Count == 0)
        {
            // A conversation nobody lists (never started, or forgotten by both): read as it is, not_found without a user.
            await User(_key.PeerOf(userId)).Describe();
        }

        return _messages.Head;
    }

    /// <remarks>An edit while either user blocks the other is refused: it would reach the other user as new text.</remarks>
    public Task<ChatMessage> Edit(string userId, long seq, string text)
    {
        RequireParticipant(userId);
        RefuseIfBlocked(userId, _key.PeerOf(userId));
        ChatRules.TextLength.Require(ChatRules.TextNotEmpty.Require(text));
        return _messages.ChangeAsync(userId, seq, message => MessageEdits.Edit(message, userId, text, clock.UtcNowToMillisecond()));
    }

    public Task<ChatMessage> Delete(string userId, long seq)
    {
        RequireParticipant(userId);
        var username = pair.State.Usernames.GetValueOrDefault(userId, userId);
        return _messages.ChangeAsync(userId, seq, message => MessageEdits.Delete(message, userId, username, moderator: false, clock.UtcNowToMillisecond()));
    }

    private void RequireParticipant(string userId)
    {
        if (!_key.IsParticipant(userId))
        {
            throw Fail.Forbidden("not a participant of this conversation");
        }
    }

    private void RefuseIfBlocked(string fromUserId, string peerId)
    {
        var blockedBy = pair.State.BlockedBy;
        if (blockedBy.Contains(fromUserId))
        {
            throw Fail.Forbidden($"you block {NameOf(peerId)}; unblock them to send them messages");
        }

        if (blockedBy.Contains(peerId))
        {
            throw Fail.Forbidden($"{NameOf(peerId)} does not accept direct messages from you");
        }
    }

    private string NameOf(string userId) => pair.State.Usernames.GetValueOrDefault(userId, userId);

    /// <summary>
    /// Lists the conversation as the sender's own (a request the sender now writes in becomes theirs), and for a
    /// peer whose list lacks it, as a request. The sender's list goes first: a sender at the limit is refused
    /// before the peer hears of it. What was there before is history for both, not unread.
    /// </summary>
    private async Task ListAsync(string fromUserId, string peerId)
    {
        var unlistings = (Sender: UnlistingsOf(fromUserId), Peer: UnlistingsOf(peerId));
        var readThrough = _messages.LastSeq;
        var peer = await User(peerId).Describe();
        var sender = await User(fromUserId).AddConversation(new ConversationListing(peerId, peer.Username, Request: false, readThrough));
        var peerListed = pair.State.ListedBy.Contains(peerId);
        if (!peerListed)
        {
            await User(peerId).AddConversation(new ConversationListing(fromUserId, sender.Username, Request: true, readThrough));
        }

        await ChangePairAsync(state =>
        {
            state.Usernames[fromUserId] = sender.Username;
            state.Usernames[peerId] = peer.Username;
            if (UnlistingsOf(fromUserId) == unlistings.Sender)
            {
                state.ListedBy.Add(fromUserId);
                state.RequestFor.Remove(fromUserId);
            }

            if (!peerListed && UnlistingsOf(peerId) == unlistings.Peer)
            {
                state.ListedBy.Add(peerId);
                state.RequestFor.Add(peerId);
            }
        });
    }

    private int UnlistingsOf(string userId) => _unlistings.GetValueOrDefault(userId);

    /// <summary>Applies a change to a copy of the pair state and keeps it once written; a failed write changes nothing.</summary>
    private Task ChangePairAsync(Action<DirectPairState> change) => _pairWrites = ChangePairAfterAsync(_pairWrites, change);

    private async Task ChangePairAfterAsync(Task previousWrite, Action<DirectPairState> change)
    {
        // The previous write's caller handles its failure; this change applies to whatever state it left.
        await previousWrite.ContinueWith(static _ => { }, TaskScheduler.Current);
        var before = pair.State;
        var changed = new DirectPairState
        {
            // From the first write on, ListedBy says who lists it (see OnActivateAsync).
            Introduced = false,
            Usernames = new(before.Usernames),
            BlockedBy = [.. before.BlockedBy],
            ListedBy = [.. before.ListedBy],
            RequestFor = [.. before.RequestFor],
        };
        change(changed);
        pair.State = changed;
        try
        {
            await pair.WriteStateAsync();
        }
        catch
        {
            pair.State = before;
            throw;
        }
    }

    private IUserGrain User(string userId) => GrainFactory.GetGrain<IUserGrain>(userId);
}
