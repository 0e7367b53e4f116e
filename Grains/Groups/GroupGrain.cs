using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansChat.Conversations;
using OrleansChat.Limits;
using OrleansChat.History;
using OrleansChat.Rules;
using OrleansChat.Users;

namespace OrleansChat.Groups;

/// <summary>
/// One chat group, composed of its membership (with roles, invitations and bans), its members' presence, the
/// pipeline that stores its messages and the stream its events go out on. Every method that reads or changes the
/// group's data checks membership and role here, whoever the caller.
/// </summary>
public sealed class GroupGrain(
    [PersistentState("members", StorageNames.Chat)] IPersistentState<GroupMembersState> members,
    [PersistentState("head", StorageNames.Chat)] IPersistentState<GroupHeadState> head,
    [PersistentState("changes", StorageNames.Chat)] IPersistentState<ChangesState> changes,
    IOptions<LimitsOptions> limits,
    TimeProvider clock,
    ILogger<GroupGrain> logger) : Grain, IGroupGrain
{
    private readonly GroupPresence _presence = new();
    private GroupMembership _membership = null!;
    private MessageChangeLog _changeLog = null!;
    private PublishPipeline _messages = null!;
    private GroupEventStream _events = null!;

    private string Name => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var stream = this.GetStreamProvider(GroupStream.ProviderName).GetStream<GroupEvent>(GroupStream.For(Name));
        _events = new GroupEventStream(stream, Name, logger);
        _membership = new GroupMembership(members, Name, limits.Value, clock);
        _changeLog = new MessageChangeLog(changes);
        _messages = new PublishPipeline(
            Name, head, _changeLog, GrainFactory, clock, logger,
            onStored: stored => _events.EmitAsync(new MessagesStored(stored)),
            onChanged: (changed, rev) => _events.EmitAsync(new MessageChanged(changed, rev)),
            onWriteUncertain: DeactivateOnIdle);
        return Task.CompletedTask;
    }

    public async Task<JoinOutcome> Join(string userId, string username, bool online)
    {
        var joined = await _membership.AddAsync(userId, username);
        return await JoinedAsync(userId, username, online, joined);
    }

    public async Task<JoinOutcome> Create(string userId, string username, GroupVisibility visibility, bool online)
    {
        await _membership.CreateAsync(userId, username, visibility);
        return await JoinedAsync(userId, username, online, joined: true);
    }

    public async Task Leave(string userId)
    {
        var (username, newOwnerId) = await _membership.RemoveAsync(userId);
        _presence.Forget(userId);
        await _events.EmitAsync(new PresenceChanged(userId, username, PresenceStatus.Left));
        if (newOwnerId is not null)
        {
            await _events.EmitAsync(new MemberChanged(newOwnerId, _membership.UsernameOf(newOwnerId)!, MemberAction.Transfer, username, GroupRole.Owner));
        }
    }

    public async Task<UserIdentity> Moderate(string actorId, string targetId, MemberAction action)
    {
        var actor = _membership.RequireMember(actorId);
        var target = await GrainFactory.GetGrain<IUserGrain>(targetId).Describe();
        var (role, removed, changed) = await _membership.ModerateAsync(actorId, targetId, target.Username, action);
        if (!changed)
        {
            return target;
        }

        await _events.EmitAsync(new MemberChanged(targetId, target.Username, action, actor, role));
        if (action is MemberAction.Transfer)
        {
            // The former owner stays, as an admin.
            await _events.EmitAsync(new MemberChanged(actorId, actor, MemberAction.Demote, actor, GroupRole.Admin));
        }

        if (removed)
        {
            _presence.Forget(targetId);
            await _events.EmitAsync(new PresenceChanged(targetId, target.Username, PresenceStatus.Left));
        }

        if (action is MemberAction.Invite || removed)
        {
            var kind = action switch
            {
                MemberAction.Invite => GroupNoticeKind.Invited,
                MemberAction.Kick => GroupNoticeKind.Kicked,
                _ => GroupNoticeKind.Banned,
            };
            Tell(targetId, new GroupNotice(Name, kind, actor));
        }

        return target;
    }

    public async Task DeleteGroup(string actorId)
    {
        var actor = _membership.RequireMember(actorId);
        var former = await _membership.DeleteAsync(actorId);
        await _events.EmitAsync(new GroupDeleted(actor));
        foreach (var memberId in former)
        {
            Tell(memberId, new GroupNotice(Name, GroupNoticeKind.Deleted, actor));
        }
    }

    public Task<PublishReceipt> Publish(string userId, string text, string? clientMsgId)
    {
        var username = _membership.RequireMember(userId);
        ChatRules.TextLength.Require(ChatRules.TextNotEmpty.Require(text));
        if (clientMsgId is not null)
        {
            ChatRules.ClientMsgId.Require(clientMsgId);
        }

        return _messages.PublishAsync(userId, username, text, clientMsgId, to: null);
    }

    public async Task<IReadOnlyList<MemberInfo>> GetMembers(string userId)
    {
        _membership.RequireMember(userId);
        return await ListMembers();
    }

    public Task<long> GetLastSeq(string userId)
    {
        _membership.RequireMember(userId);
        return Task.FromResult(_messages.LastSeq);
    }

    public Task<LogPosition> GetPosition(string userId)
    {
        _membership.RequireMember(userId);
        return Task.FromResult(new LogPosition(_messages.LastSeq, _changeLog.Rev));
    }

    public Task<ChangedSeqs> GetChanges(string userId, long afterRev, int limit)
    {
        _membership.RequireMember(userId);
        return Task.FromResult(_changeLog.Since(afterRev, limit));
    }

    public Task RequireMember(string userId)
    {
        _membership.RequireMember(userId);
        return Task.CompletedTask;
    }

    public Task Typing(string userId)
    {
        var username = _membership.RequireMember(userId);
        return _events.EmitAsync(new UserTyping(userId, username));
    }

    public Task SetPresence(string userId, bool online)
    {
        if (_membership.UsernameOf(userId) is not { } username || !_presence.Set(userId, online))
        {
            return Task.CompletedTask;
        }

        return _events.EmitAsync(new PresenceChanged(userId, username, online ? PresenceStatus.Online : PresenceStatus.Offline));
    }

    public Task<ChatMessage> Edit(string userId, long seq, string text)
    {
        _membership.RequireMember(userId);
        ChatRules.TextLength.Require(ChatRules.TextNotEmpty.Require(text));
        return _messages.ChangeAsync(userId, seq, message => MessageEdits.Edit(message, userId, text, clock.UtcNowToMillisecond()));
    }

    public Task<ChatMessage> Delete(string userId, long seq)
    {
        var username = _membership.RequireMember(userId);
        var moderator = _membership.RoleOf(userId) >= GroupRole.Admin;
        return _messages.ChangeAsync(userId, seq, message => MessageEdits.Delete(message, userId, username, moderator, clock.UtcNowToMillisecond()));
    }

    public Task<HeadPage> GetHead(string userId)
    {
        _membership.RequireMember(userId);
        return Task.FromResult(_messages.Head);
    }

    private async Task<JoinOutcome> JoinedAsync(string userId, string username, bool online, bool joined)
    {
        if (joined)
        {
            _presence.Set(userId, online);
            await _events.EmitAsync(new PresenceChanged(userId, username, PresenceStatus.Joined));
        }

        return new JoinOutcome(_messages.LastSeq, await ListMembers(), WasMember: !joined, _membership.RoleOf(userId), _membership.Visibility, _changeLog.Rev);
    }

    /// <summary>
    /// Tells a user's grain what the group did to them, without waiting: that grain may itself be waiting on this
    /// group (a join), and a lost notice only delays what the user's next group list shows anyway.
    /// </summary>
    private void Tell(string userId, GroupNotice notice) => GrainFactory.GetGrain<IUserGrain>(userId).HearFromGroup(notice).Ignore();

    private async Task<IReadOnlyList<MemberInfo>> ListMembers()
    {
        var usernames = _membership.UsernamesById;
        await _presence.EnsureKnown(usernames.Keys, userId => GrainFactory.GetGrain<IUserGrain>(userId).IsOnline());
        return usernames
            .Select(member => new MemberInfo(member.Key, member.Value, _presence.IsOnline(member.Key), _membership.RoleOf(member.Key)))
            .OrderBy(member => member.Username, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }
}
