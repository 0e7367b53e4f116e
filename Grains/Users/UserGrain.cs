using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansChat.Groups;
using OrleansChat.Presence;
using OrleansChat.Rules;

namespace OrleansChat.Users;

public sealed class UserGrain(
    [PersistentState("account", StorageNames.Chat)] IPersistentState<AccountState> account,
    [PersistentState("groups", StorageNames.Chat)] IPersistentState<UserGroupsState> memberships,
    IPasswordHasher<AccountState> passwordHasher,
    IOptions<ChatOptions> options,
    TimeProvider clock,
    ILogger<UserGrain> logger) : Grain, IUserGrain
{
    private readonly SocketLeases _leases = new();
    private IGrainTimer? _leaseTimer;

    private string UserId => this.GetPrimaryKeyString();

    private UserIdentity Identity => new(UserId, account.State.Username!);

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public async Task<UserIdentity> Register(string username, string password)
    {
        if (!ChatRules.Username.IsMetBy(username) || Names.NormalizeUsername(username) != UserId)
        {
            throw ChatRules.Username.Violation();
        }

        ChatRules.Password.Require(password);

        if (account.State.IsRegistered)
        {
            throw Fail.Conflict($"the username {username} is taken");
        }

        var created = new AccountState { Username = username, CreatedAt = Now };
        created.PasswordHash = passwordHasher.HashPassword(created, password);
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

    public async Task<LoginTicket> Login(string password)
    {
        var state = account.State;
        var verdict = state.IsRegistered
            ? passwordHasher.VerifyHashedPassword(state, state.PasswordHash!, password)
            : PasswordVerificationResult.Failed;
        if (verdict == PasswordVerificationResult.Failed)
        {
            throw Fail.Unauthorized("wrong username or password");
        }

        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            state.PasswordHash = passwordHasher.HashPassword(state, password);
        }

        var now = Now;
        var expiresAt = ClockExtensions.ToMillisecond(now + options.Value.TokenLifetime);
        var (secret, secretHash) = SessionSecrets.Create();
        state.Sessions = state.Sessions
            .Where(session => session.ExpiresAt > now)
            .Append(new LoginSession(secretHash, expiresAt))
            .TakeLast(options.Value.MaxSessionsPerUser)
            .ToList();
        await account.WriteStateAsync();

        return new LoginTicket(SessionToken.Create(UserId, secret), Identity, expiresAt);
    }

    public Task<UserIdentity> Authenticate(string token)
    {
        var valid = account.State.IsRegistered
            && SessionToken.TryParse(token, out var userId, out var secret)
            && userId == UserId
            && SessionSecrets.Opens(account.State.Sessions, secret, Now);
        return valid ? Task.FromResult(Identity) : throw Fail.Unauthorized("invalid or expired token");
    }

    public async Task<JoinOutcome> JoinGroup(string group)
    {
        RequireRegistered();
        ChatRules.Group.Require(group);
        var groups = memberships.State.Groups;
        if (!groups.Contains(group) && groups.Count >= options.Value.MaxGroupsPerUser)
        {
            throw ChatRules.TooManyGroups(options.Value.MaxGroupsPerUser);
        }

        var outcome = await GrainFactory.GetGrain<IGroupGrain>(group).Join(UserId, account.State.Username!, _leases.IsOnline);
        if (groups.Add(group))
        {
            await memberships.WriteStateAsync();
        }

        NotifyGateways(group, isMember: true, outcome.LastSeq);
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

        NotifyGateways(group, isMember: false, lastSeq: 0);
    }

    public async Task<IReadOnlyList<GroupSummary>> GetGroups()
    {
        RequireRegistered();
        var groups = memberships.State.Groups.Order(StringComparer.Ordinal).ToList();
        var lastSeqs = await Task.WhenAll(groups.Select(group => GrainFactory.GetGrain<IGroupGrain>(group).GetLastSeq()));
        return groups.Zip(lastSeqs, (group, lastSeq) => new GroupSummary(group, lastSeq)).ToList();
    }

    public async Task ReportSockets(SocketReport report)
    {
        var wasOnline = _leases.IsOnline;
        _leases.Apply(report, Now);
        // Checking four times per lease bounds how long a dead gateway's users stay online to 1.25 leases.
        _leaseTimer ??= this.RegisterGrainTimer(ExpireLeases, report.Lease / 4, report.Lease / 4);
        await AnnounceIfChanged(wasOnline);
    }

    public Task<bool> IsOnline() => Task.FromResult(_leases.IsOnline);

    private async Task ExpireLeases()
    {
        var wasOnline = _leases.IsOnline;
        _leases.Expire(Now);
        if (_leases.IsEmpty)
        {
            _leaseTimer?.Dispose();
            _leaseTimer = null;
        }

        await AnnounceIfChanged(wasOnline);
    }

    private async Task AnnounceIfChanged(bool wasOnline)
    {
        var online = _leases.IsOnline;
        if (online == wasOnline || !account.State.IsRegistered)
        {
            return;
        }

        var announcements = memberships.State.Groups
            .Select(group => GrainFactory.GetGrain<IGroupGrain>(group).SetPresence(UserId, online));
        try
        {
            await Task.WhenAll(announcements);
        }
        catch (Exception ex)
        {
            // Presence is soft state: a group that missed this hears the truth on its next rebuild.
            logger.LogWarning(ex, "Could not announce {UserId} as {Status} to all groups", UserId, online ? "online" : "offline");
        }
    }

    private void NotifyGateways(string group, bool isMember, long lastSeq)
    {
        foreach (var gateway in _leases.ConnectedGateways)
        {
            gateway.MembershipChanged(UserId, group, isMember, lastSeq).Ignore();
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
