using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansChat.Conversations;
using OrleansChat.Direct;
using OrleansChat.Errors;
using OrleansChat.Groups;
using OrleansChat.Limits;
using OrleansChat.Presence;
using OrleansChat.Rules;

namespace OrleansChat.Users;

public sealed class UserGrain(
    [PersistentState("account", StorageNames.Chat)] IPersistentState<AccountState> account,
    [PersistentState("groups", StorageNames.Chat)] IPersistentState<UserGroupsState> memberships,
    [PersistentState("conversations", StorageNames.Chat)] IPersistentState<UserConversationsState> conversations,
    [PersistentState("reads", StorageNames.Chat)] IPersistentState<UserReadsState> reads,
    IPasswordHasher<AccountState> passwordHasher,
    IOptions<ChatOptions> options,
    IOptions<LimitsOptions> limits,
    TimeProvider clock,
    ILogger<UserGrain> logger) : Grain, IUserGrain
{
    private readonly LoginGuard _guard = new(passwordHasher, limits.Value);
    private readonly UserConversations _conversations = new(conversations, limits.Value);
    private readonly ReadMarkers _readMarkers = new(reads);
    private UserPresence _presence = null!;

    private string UserId => this.GetPrimaryKeyString();

    private UserIdentity Identity => new(UserId, account.State.Username!);

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _presence = new UserPresence(
            UserId,
            () => account.State.IsRegistered ? memberships.State.Groups : [],
            GrainFactory,
            (tick, period) => this.RegisterGrainTimer(tick, period, period),
            clock,
            logger);
        return Task.CompletedTask;
    }

    public async Task<UserIdentity> Register(string username, Secret password)
    {
        if (!ChatRules.Username.IsMetBy(username) || Names.NormalizeUsername(username) != UserId)
        {
            throw ChatRules.Username.Violation();
        }

        ChatRules.Password.Require(password.Value);
        _guard.BeforeRegistering(Now);
        if (account.State.IsRegistered)
        {
            _guard.RegistrationRefused(Now);
            throw Fail.Conflict($"the username {username} is taken");
        }

        var created = new AccountState { Username = username, CreatedAt = Now };
        created.PasswordHash = passwordHasher.HashPassword(created, password.Value);
        account.State = created;
        try
        {
            await account.WriteStateAsync();
        }
        catch
        {
            account.State = new AccountState();
            throw;
        }

        return Identity;
    }

    public async Task<LoginTicket> Login(Secret password)
    {
        var state = account.State;
        var verdict = _guard.Verify(state, password.Value ?? "", Now);
        if (verdict == PasswordVerificationResult.Failed)
        {
            throw Fail.Unauthorized("wrong username or password");
        }

        var before = (state.PasswordHash, state.Sessions);
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            state.PasswordHash = passwordHasher.HashPassword(state, password.Value!);
        }

        var (ticket, session) = NewSession();
        state.Sessions = [.. state.Sessions.Where(kept => kept.ExpiresAt > Now).Append(session).TakeLast(options.Value.MaxSessionsPerUser)];
        await WriteAccountOrRestoreAsync(before);
        return ticket;
    }

    public Task<UserIdentity> Authenticate(Secret token)
    {
        var valid = account.State.IsRegistered
            && SessionToken.TryParse(token.Value, out var userId, out var secret)
            && userId == UserId
            && SessionSecrets.Opens(account.State.Sessions, secret, Now);
        return valid ? Task.FromResult(Identity) : throw ChatRules.InvalidToken();
    }

    public async Task EndSession(long sessionId)
    {
        RequireRegistered();
        var state = account.State;
        var before = (state.PasswordHash, state.Sessions);
        state.Sessions = [.. state.Sessions.Where(session => SessionToken.SessionIdOfHash(session.SecretHash) != sessionId)];
        if (state.Sessions.Count != before.Sessions.Count)
        {
            await WriteAccountOrRestoreAsync(before);
            _presence.SessionsEnded([sessionId]);
        }
    }

    public async Task<LoginTicket> ChangePassword(Secret currentPassword, Secret newPassword)
    {
        RequireRegistered();
        ChatRules.Password.Require(newPassword.Value);
        var state = account.State;
        if (_guard.Verify(state, currentPassword.Value ?? "", Now) == PasswordVerificationResult.Failed)
        {
            throw Fail.Unauthorized("wrong password");
        }

        var before = (state.PasswordHash, state.Sessions);
        var (ticket, session) = NewSession();
        state.PasswordHash = passwordHasher.HashPassword(state, newPassword.Value);
        state.Sessions = [session];
        await WriteAccountOrRestoreAsync(before);

        // Every older token stops working, and the sockets it opened are closed.
        _presence.SessionsEnded([.. before.Sessions.Select(ended => SessionToken.SessionIdOfHash(ended.SecretHash))]);
        return ticket;
    }

    public Task<JoinOutcome> JoinGroup(string group) =>
        EnterGroupAsync(group, (grain, online) => grain.Join(UserId, account.State.Username!, online));

    public Task<JoinOutcome> CreateGroup(string group, GroupVisibility visibility) =>
        EnterGroupAsync(group, (grain, online) => grain.Create(UserId, account.State.Username!, visibility, online));

    public async Task HearFromGroup(GroupNotice notice)
    {
        RequireRegistered();

        // The sockets hear of it first: a failed write below must not leave them following the group.
        _presence.GroupNoticed(notice);
        if (notice.EndsMembership && memberships.State.Groups.Remove(notice.Group))
        {
            try
            {
                await memberships.WriteStateAsync();
            }
            catch
            {
                // The next group list asks the group, which no longer counts the user, and drops it then.
                memberships.State.Groups.Add(notice.Group);
                throw;
            }
        }

        if (notice.EndsMembership)
        {
            await _readMarkers.ForgetAsync(notice.Group);
        }
    }

    /// <summary>Joins or creates a group through <paramref name="enter"/>, within the user's limit, and records the membership.</summary>
    private async Task<JoinOutcome> EnterGroupAsync(string group, Func<IGroupGrain, bool, Task<JoinOutcome>> enter)
    {
        RequireRegistered();
        ChatRules.Group.Require(group);
        var groups = memberships.State.Groups;
        var groupsPerUser = limits.Value.GroupsPerUser;
        if (limits.Value.Enabled && !groups.Contains(group) && groups.Count >= groupsPerUser)
        {
            throw ChatRules.TooManyGroups(groupsPerUser);
        }

        var outcome = await enter(GrainFactory.GetGrain<IGroupGrain>(group), _presence.IsOnline);
        if (groups.Add(group))
        {
            await memberships.WriteStateAsync();
        }

        // What was there before the user joined is history, not unread.
        if (_readMarkers.Of(group) is null)
        {
            await _readMarkers.SetAsync([(group, outcome.LastSeq)]);
        }

        _presence.MembershipChanged(group, isMember: true, outcome.LastSeq);
        return outcome;
    }

    public async Task LeaveGroup(string group)
    {
        RequireRegistered();
        await GrainFactory.GetGrain<IGroupGrain>(group).Leave(UserId);
        if (memberships.State.Groups.Remove(group))
        {
            await memberships.WriteStateAsync();
        }

        await _readMarkers.ForgetAsync(group);
        _presence.MembershipChanged(group, isMember: false, lastSeq: 0);
    }

    public async Task<IReadOnlyList<GroupSummary>> GetGroups()
    {
        RequireRegistered();
        var groups = memberships.State.Groups.Order(StringComparer.Ordinal).ToList();
        var positions = await Task.WhenAll(groups.Select(PositionAsMember));
        var lost = groups.Where((_, i) => positions[i] is null).ToList();
        if (lost.Count > 0)
        {
            // A leave whose second write failed left the group here; the group grain is the one that knows.
            memberships.State.Groups.ExceptWith(lost);
            await memberships.WriteStateAsync();
        }

        var kept = groups.Zip(positions, (group, position) => (Group: group, Position: position))
            .Where(pair => pair.Position is not null)
            .Select(pair => (pair.Group, Position: pair.Position!))
            .ToList();

        // Memberships from before read markers: what was there is history, not unread.
        var unmarked = kept.Where(pair => _readMarkers.Of(pair.Group) is null).Select(pair => (pair.Group, pair.Position.LastSeq)).ToList();
        if (unmarked.Count > 0)
        {
            await _readMarkers.SetAsync(unmarked);
        }

        return kept.Select(pair => new GroupSummary(pair.Group, pair.Position.LastSeq, _readMarkers.Of(pair.Group)!.Value, pair.Position.Rev)).ToList();
    }

    public async Task<ReadMarker> MarkRead(string conversation, long seq)
    {
        RequireRegistered();
        var key = ConversationKey.Parse(conversation);
        string? with = null;
        if (key.IsDirect)
        {
            var peer = key.IsParticipant(UserId) ? _conversations.Of(key.PeerOf(UserId)) : null;
            with = peer?.Username ?? throw Fail.NotFound("no such conversation");
        }

        // The conversation's own grain says whether this user may read it, and how far it goes.
        var lastSeq = await key.Log(GrainFactory).GetLastSeq(UserId);
        var marked = _readMarkers.Of(conversation) ?? 0;
        var readSeq = Math.Min(seq, lastSeq);
        if (readSeq > marked)
        {
            await _readMarkers.SetAsync([(conversation, readSeq)]);
            marked = readSeq;
            _presence.ReadMarked(new ReadMarker(key.Group, with, marked));
        }

        return new ReadMarker(key.Group, with, marked);
    }

    /// <summary>The group's newest seq and rev; null when the group no longer counts this user as a member.</summary>
    private async Task<LogPosition?> PositionAsMember(string group)
    {
        try
        {
            return await GrainFactory.GetGrain<IGroupGrain>(group).GetPosition(UserId);
        }
        catch (ChatException ex) when (ex.Code is ChatErrorCode.Forbidden or ChatErrorCode.NotFound)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<ConversationSummary>> GetConversations()
    {
        RequireRegistered();
        var entries = _conversations.Ordered;
        var keys = entries.Select(entry => DirectKey(entry.Key)).ToList();
        var positions = await Task.WhenAll(keys.Select(key => GrainFactory.GetGrain<IDirectGrain>(key).GetPosition(UserId)));
        return entries.Select((entry, i) => new ConversationSummary(
                entry.Value.Username, positions[i].LastSeq, entry.Value.Blocked, _readMarkers.Of(keys[i]) ?? 0, entry.Value.Request, positions[i].Rev))
            .ToList();
    }

    public Task<UserIdentity> Describe()
    {
        RequireRegistered();
        return Task.FromResult(Identity);
    }

    public async Task<UserIdentity> AddConversation(ConversationListing listing)
    {
        RequireRegistered();
        if (_conversations.PlanListing(listing, account.State.Username!) is { } change)
        {
            await ChangeConversationsAsync(change, listing.ReadThrough);
        }

        return Identity;
    }

    public async Task ConversationBlockChanged(ConversationListing listing, bool blocked)
    {
        RequireRegistered();
        if (_conversations.PlanBlock(listing.PeerUserId, listing.PeerUsername, blocked, account.State.Username!) is { } change)
        {
            await ChangeConversationsAsync(change, listing.ReadThrough);
        }
    }

    public async Task<UserIdentity> ForgetConversation(string peerUserId)
    {
        RequireRegistered();
        var listed = _conversations.Of(peerUserId);
        if (listed is null)
        {
            return await GrainFactory.GetGrain<IUserGrain>(peerUserId).Describe();
        }

        if (listed.Blocked)
        {
            throw Fail.Conflict($"you block {listed.Username}; unblock them before forgetting the conversation, or keep it to keep the block in sight");
        }

        // The conversation's grain first: if the list's write then fails, its next message only lists it again.
        await GrainFactory.GetGrain<IDirectGrain>(DirectKey(peerUserId)).Unlist(UserId);
        await _conversations.RemoveAsync(peerUserId);
        await LeftListAsync(peerUserId);
        return new UserIdentity(peerUserId, listed.Username);
    }

    /// <summary>
    /// Stores a change to the conversation list. A request it pushes out is unlisted at its conversation's grain
    /// before the list is written, for the same reason as in <see cref="ForgetConversation"/>. A new entry is read
    /// through <paramref name="readThrough"/> (what came before it was listed is history, not unread), and the
    /// user's sockets follow it from there.
    /// </summary>
    private async Task ChangeConversationsAsync(ListingChange change, long readThrough)
    {
        if (change.PushedOut is { } pushedOut)
        {
            await GrainFactory.GetGrain<IDirectGrain>(DirectKey(pushedOut)).Unlist(UserId);
        }

        await _conversations.SaveAsync(change);
        if (change.PushedOut is { } left)
        {
            await LeftListAsync(left);
        }

        if (change.IsNew)
        {
            // The sockets hear of it first: a failed marker write below must not leave them unfollowed.
            var key = DirectKey(change.PeerUserId);
            _presence.MembershipChanged(key, isMember: true, readThrough);
            if (readThrough > 0)
            {
                await _readMarkers.SetAsync([(key, readThrough)]);
            }
        }
    }

    /// <summary>A conversation gone from the list: its read marker goes too, and the user's sockets stop following it.</summary>
    private async Task LeftListAsync(string peerUserId)
    {
        _presence.MembershipChanged(DirectKey(peerUserId), isMember: false, lastSeq: 0);
        await _readMarkers.ForgetAsync(DirectKey(peerUserId));
    }

    private string DirectKey(string peerUserId) => ConversationKey.Between(UserId, peerUserId).ToGrainKey();

    public Task ReportSockets(SocketReport report) => _presence.ApplyAsync(report);

    public Task<bool> IsOnline() => Task.FromResult(_presence.IsOnline);

    private (LoginTicket Ticket, LoginSession Session) NewSession()
    {
        var expiresAt = ClockExtensions.ToMillisecond(Now + options.Value.TokenLifetime);
        var (secret, secretHash) = SessionSecrets.Create();
        return (new LoginTicket(SessionToken.Create(UserId, secret), Identity, expiresAt), new LoginSession(secretHash, expiresAt));
    }

    /// <summary>Writes the account; if the write fails, the grain goes on with the account as it was.</summary>
    private async Task WriteAccountOrRestoreAsync((string? PasswordHash, List<LoginSession> Sessions) before)
    {
        try
        {
            await account.WriteStateAsync();
        }
        catch
        {
            (account.State.PasswordHash, account.State.Sessions) = before;
            throw;
        }
    }

    private void RequireRegistered()
    {
        if (!account.State.IsRegistered)
        {
            throw Fail.NotFound($"no user {UserId}");
        }
    }
}
