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
        var lastSeqs = await Task.WhenAll(groups.Select(LastSeqAsMember));
        var lost = groups.Where((_, i) => lastSeqs[i] is null).ToList();
        if (lost.Count > 0)
        {
            // A leave whose second write failed left the group here; the group grain is the one that knows.
            memberships.State.Groups.ExceptWith(lost);
            await memberships.WriteStateAsync();
        }

        var kept = groups.Zip(lastSeqs, (group, lastSeq) => (Group: group, LastSeq: lastSeq))
            .Where(pair => pair.LastSeq is not null)
            .Select(pair => (pair.Group, LastSeq: pair.LastSeq!.Value))
            .ToList();

        // Memberships from before read markers: what was there is history, not unread.
        var unmarked = kept.Where(pair => _readMarkers.Of(pair.Group) is null).ToList();
        if (unmarked.Count > 0)
        {
            await _readMarkers.SetAsync(unmarked);
        }

        return kept.Select(pair => new GroupSummary(pair.Group, pair.LastSeq, _readMarkers.Of(pair.Group)!.Value)).ToList();
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

    /// <summary>The group's newest seq; null when the group no longer counts this user as a member.</summary>
    private async Task<long?> LastSeqAsMember(string group)
    {
        try
        {
            return await GrainFactory.GetGrain<IGroupGrain>(group).GetLastSeq(UserId);
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
        var keys = entries.Select(entry => ConversationKey.Between(UserId, entry.Key).ToGrainKey()).ToList();
        var lastSeqs = await Task.WhenAll(keys.Select(key => GrainFactory.GetGrain<IDirectGrain>(key).GetLastSeq(UserId)));
        return entries.Select((entry, i) => new ConversationSummary(entry.Value.Username, lastSeqs[i], entry.Value.Blocked, _readMarkers.Of(keys[i]) ?? 0))
            .ToList();
    }

    public Task<UserIdentity> Describe()
    {
        RequireRegistered();
        return Task.FromResult(Identity);
    }

    public async Task<UserIdentity> AddConversation(string peerUserId, string peerUsername)
    {
        RequireRegistered();
        if (await _conversations.ListAsync(peerUserId, peerUsername, account.State.Username!))
        {
            FollowConversation(peerUserId);
        }

        return Identity;
    }

    public async Task ConversationBlockChanged(string peerUserId, string peerUsername, bool blocked)
    {
        RequireRegistered();
        if (await _conversations.SetBlockedAsync(peerUserId, peerUsername, blocked, account.State.Username!))
        {
            FollowConversation(peerUserId);
        }
    }

    public Task ReportSockets(SocketReport report) => _presence.ApplyAsync(report);

    public Task<bool> IsOnline() => Task.FromResult(_presence.IsOnline);

    /// <summary>A conversation new in the list: the user's sockets start following it.</summary>
    private void FollowConversation(string peerUserId) =>
        _presence.MembershipChanged(ConversationKey.Between(UserId, peerUserId).ToGrainKey(), isMember: true, lastSeq: 0);

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
