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

    public async Task<JoinOutcome> JoinGroup(string group)
    {
        RequireRegistered();
        ChatRules.Group.Require(group);
        var groups = memberships.State.Groups;
        var groupsPerUser = limits.Value.GroupsPerUser;
        if (limits.Value.Enabled && !groups.Contains(group) && groups.Count >= groupsPerUser)
        {
            throw ChatRules.TooManyGroups(groupsPerUser);
        }

        var outcome = await GrainFactory.GetGrain<IGroupGrain>(group).Join(UserId, account.State.Username!, _presence.IsOnline);
        if (groups.Add(group))
        {
            await memberships.WriteStateAsync();
        }

        // What was there before the user joined is history, not unread.
        if (!reads.State.ReadSeqs.ContainsKey(group))
        {
            await WriteReadSeqsAsync(readSeqs => readSeqs[group] = outcome.LastSeq);
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

        if (reads.State.ReadSeqs.ContainsKey(group))
        {
            await WriteReadSeqsAsync(readSeqs => readSeqs.Remove(group));
        }

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
        var unmarked = kept.Where(pair => !reads.State.ReadSeqs.ContainsKey(pair.Group)).ToList();
        if (unmarked.Count > 0)
        {
            await WriteReadSeqsAsync(readSeqs => unmarked.ForEach(pair => readSeqs[pair.Group] = pair.LastSeq));
        }

        return kept.Select(pair => new GroupSummary(pair.Group, pair.LastSeq, reads.State.ReadSeqs[pair.Group])).ToList();
    }

    public async Task<ReadMarker> MarkRead(string conversation, long seq)
    {
        RequireRegistered();
        var key = ConversationKey.Parse(conversation);
        string? with = null;
        if (key.IsDirect)
        {
            var peer = key.IsParticipant(UserId) ? conversations.State.ByPeer.GetValueOrDefault(key.PeerOf(UserId)) : null;
            with = peer?.Username ?? throw Fail.NotFound("no such conversation");
        }

        // The conversation's own grain says whether this user may read it, and how far it goes.
        var lastSeq = await key.Log(GrainFactory).GetLastSeq(UserId);
        var marked = reads.State.ReadSeqs.GetValueOrDefault(conversation);
        var readSeq = Math.Min(seq, lastSeq);
        if (readSeq > marked)
        {
            await WriteReadSeqsAsync(readSeqs => readSeqs[conversation] = readSeq);
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
        var entries = conversations.State.ByPeer.OrderBy(entry => entry.Key, StringComparer.Ordinal).ToList();
        var lastSeqs = await Task.WhenAll(entries.Select(entry => DirectWith(entry.Key).GetLastSeq(UserId)));
        return entries.Zip(lastSeqs, (entry, lastSeq) => new ConversationSummary(
            entry.Value.Username, lastSeq, entry.Value.Blocked, reads.State.ReadSeqs.GetValueOrDefault(ConversationKey.Between(UserId, entry.Key).ToGrainKey())))
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
        if (!conversations.State.ByPeer.ContainsKey(peerUserId))
        {
            await ListConversationAsync(peerUserId, new ConversationEntry(peerUsername, Blocked: false));
        }

        return Identity;
    }

    public async Task ConversationBlockChanged(string peerUserId, string peerUsername, bool blocked)
    {
        RequireRegistered();
        var entry = new ConversationEntry(peerUsername, blocked);
        if (conversations.State.ByPeer.GetValueOrDefault(peerUserId) != entry)
        {
            await ListConversationAsync(peerUserId, entry);
        }
    }

    public Task ReportSockets(SocketReport report) => _presence.ApplyAsync(report);

    public Task<bool> IsOnline() => Task.FromResult(_presence.IsOnline);

    /// <summary>
    /// Adds or changes one conversation in the list. A new one counts against the user's limit, and the user's
    /// sockets start following it.
    /// </summary>
    private async Task ListConversationAsync(string peerUserId, ConversationEntry entry)
    {
        var byPeer = conversations.State.ByPeer;
        var previous = byPeer.GetValueOrDefault(peerUserId);
        var conversationsPerUser = limits.Value.ConversationsPerUser;
        if (previous is null && limits.Value.Enabled && byPeer.Count >= conversationsPerUser)
        {
            throw ChatRules.TooManyConversations(account.State.Username!, conversationsPerUser);
        }

        byPeer[peerUserId] = entry;
        try
        {
            await conversations.WriteStateAsync();
        }
        catch
        {
            if (previous is null)
            {
                byPeer.Remove(peerUserId);
            }
            else
            {
                byPeer[peerUserId] = previous;
            }

            throw;
        }

        if (previous is null)
        {
            _presence.MembershipChanged(ConversationKey.Between(UserId, peerUserId).ToGrainKey(), isMember: true, lastSeq: 0);
        }
    }

    /// <summary>Changes the read markers and writes them; if the write fails, the grain goes on with them as they were.</summary>
    private async Task WriteReadSeqsAsync(Action<Dictionary<string, long>> change)
    {
        var before = new Dictionary<string, long>(reads.State.ReadSeqs);
        change(reads.State.ReadSeqs);
        try
        {
            await reads.WriteStateAsync();
        }
        catch
        {
            reads.State.ReadSeqs = before;
            throw;
        }
    }

    private IDirectGrain DirectWith(string peerUserId) =>
        GrainFactory.GetGrain<IDirectGrain>(ConversationKey.Between(UserId, peerUserId).ToGrainKey());

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
