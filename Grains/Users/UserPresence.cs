using Microsoft.Extensions.Logging;
using OrleansChat.Groups;
using OrleansChat.Presence;
using OrleansChat.Users;

namespace OrleansChat.Users;

/// <summary>
/// A user's presence: the gateways' leases on the user's sockets, telling the user's groups when that makes
/// the user go online or offline, and telling those gateways what changed for the user's sockets there
/// (memberships, ended sessions). Soft state, rebuilt from the gateways' renewals after a restart.
/// </summary>
internal sealed class UserPresence(
    string userId,
    Func<IReadOnlyCollection<string>> groups,
    IGrainFactory grains,
    Func<Func<Task>, TimeSpan, IGrainTimer> startTimer,
    TimeProvider clock,
    ILogger logger)
{
    private readonly SocketLeases _leases = new();
    private IGrainTimer? _leaseTimer;

    public bool IsOnline => _leases.IsOnline;

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Applies a gateway's report and announces a change of status to the user's groups.</summary>
    public async Task ApplyAsync(SocketReport report)
    {
        var wasOnline = _leases.IsOnline;
        _leases.Apply(report, Now);

        // Checking four times per lease bounds how long a dead gateway's users stay online to 1.25 leases.
        _leaseTimer ??= startTimer(ExpireLeasesAsync, report.Lease / 4);
        await AnnounceIfChangedAsync(wasOnline);
    }

    public void MembershipChanged(string group, bool isMember, long lastSeq)
    {
        foreach (var gateway in _leases.ConnectedGateways)
        {
            gateway.MembershipChanged(userId, group, isMember, lastSeq).Ignore();
        }
    }

    public void GroupNoticed(GroupNotice notice)
    {
        foreach (var gateway in _leases.ConnectedGateways)
        {
            gateway.GroupNoticed(userId, notice).Ignore();
        }
    }

    public void ReadMarked(ReadMarker marker)
    {
        foreach (var gateway in _leases.ConnectedGateways)
        {
            gateway.ReadMarked(userId, marker).Ignore();
        }
    }

    public void SessionsEnded(IReadOnlyList<long> sessionIds)
    {
        foreach (var gateway in _leases.ConnectedGateways)
        {
            gateway.SessionsEnded(userId, sessionIds).Ignore();
        }
    }

    private async Task ExpireLeasesAsync()
    {
        var wasOnline = _leases.IsOnline;
        _leases.Expire(Now);
        if (_leases.IsEmpty)
        {
            _leaseTimer?.Dispose();
            _leaseTimer = null;
        }

        await AnnounceIfChangedAsync(wasOnline);
    }

    private async Task AnnounceIfChangedAsync(bool wasOnline)
    {
        var online = _leases.IsOnline;
        if (online == wasOnline)
        {
            return;
        }

        try
        {
            await Task.WhenAll(groups().Select(group => grains.GetGrain<IGroupGrain>(group).SetPresence(userId, online)));
        }
        catch (Exception ex)
        {
            // Presence is soft state: a group that missed this hears the truth on its next rebuild.
            logger.LogWarning(ex, "Could not announce {UserId} as {Status} to all groups", userId, online ? "online" : "offline");
        }
    }
}
