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
/// does not interleave), so a user grain reading its conversations' seqs never deadlocks with a message.
/// </remarks>
public sealed class DirectGrain(
    [PersistentState("pair", StorageNames.Chat)] IPersistentState<DirectPairState> pair,
    [PersistentState("head", StorageNames.Chat)] IPersistentState<GroupHeadState> head,
    TimeProvider clock,
    ILogger<DirectGrain> logger) : Grain, IDirectGrain
{
    // Starting the conversation and (un)blocking both write the pair state, one write after the other.
    private Task _pairWrites = Task.CompletedTask;
    private ConversationKey _key;
    private PublishPipeline _messages = null!;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _key = ConversationKey.Parse(this.GetPrimaryKeyString());
        if (!_key.IsDirect)
        {
            throw new InvalidOperationException($"{_key} is not a direct conversation");
        }

        var stream = this.GetStreamProvider(GroupStream.ProviderName).GetStream<GroupEvent>(GroupStream.For(_key.ToGrainKey()));
        var events = new GroupEventStream(stream, _key.ToGrainKey(), logger);
        _messages = new PublishPipeline(
            _key.ToGrainKey(), head, GrainFactory, clock, logger,
            onStored: stored => events.EmitAsync(new MessagesStored(stored)),
            onChanged: changed => events.EmitAsync(new MessageChanged(changed)),
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
        if (!pair.State.Introduced)
        {
            await IntroduceAsync(fromUserId, peerId);
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
        await User(userId).ConversationBlockChanged(peer.UserId, peer.Username, blocked);
        await ChangePairAsync(state =>
        {
            state.Usernames[peer.UserId] = peer.Username;
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

    public async Task<HeadPage> GetHead(string userId)
    {
        RequireParticipant(userId);
        if (!pair.State.Introduced)
        {
            // Reading a conversation that never started: an empty one with a user, not_found without one.
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
    /// Adds the conversation to both users' lists, the sender's first: a sender at the limit is refused before the
    /// peer hears of it; a peer at the limit refuses after, and the sender keeps the conversation, empty.
    /// </summary>
    private async Task IntroduceAsync(string fromUserId, string peerId)
    {
        var peer = await User(peerId).Describe();
        var sender = await User(fromUserId).AddConversation(peerId, peer.Username);
        await User(peerId).AddConversation(fromUserId, sender.Username);
        await ChangePairAsync(state =>
        {
            state.Usernames[fromUserId] = sender.Username;
            state.Usernames[peerId] = peer.Username;
            state.Introduced = true;
        });
    }

    /// <summary>Applies a change to a copy of the pair state and keeps it once written; a failed write changes nothing.</summary>
    private Task ChangePairAsync(Action<DirectPairState> change) => _pairWrites = ChangePairAfterAsync(_pairWrites, change);

    private async Task ChangePairAfterAsync(Task previousWrite, Action<DirectPairState> change)
    {
        // The previous write's caller handles its failure; this change applies to whatever state it left.
        await previousWrite.ContinueWith(static _ => { }, TaskScheduler.Current);
        var before = pair.State;
        var changed = new DirectPairState
        {
            Introduced = before.Introduced,
            Usernames = new(before.Usernames),
            BlockedBy = [.. before.BlockedBy],
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
