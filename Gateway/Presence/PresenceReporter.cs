using Microsoft.Extensions.Options;
using OrleansChat.Presence;
using OrleansChat.Users;

namespace OrleansChat.Gateway.Presence;

/// <summary>
/// Tells user grains how many of their sockets this gateway holds, and renews those reports as leases:
/// if this gateway dies, its users go offline when the leases run out.
/// </summary>
internal sealed class PresenceReporter(
    IGrainFactory grains,
    GatewayIdentity gateway,
    IOptions<GatewayOptions> options,
    ILogger<PresenceReporter> logger) : BackgroundService
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _socketsByUser = new(StringComparer.Ordinal);
    private long _version;

    public Task SocketOpenedAsync(string userId) => ReportAsync(Change(userId, +1));

    public Task SocketClosedAsync(string userId) => ReportAsync(Change(userId, -1));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PresenceRenewInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await Parallel.ForEachAsync(Snapshot(), new ParallelOptions { MaxDegreeOfParallelism = 16 }, (report, _) => new ValueTask(ReportAsync(report)));
        }
    }

    private (string UserId, int Sockets, long Version) Change(string userId, int delta)
    {
        lock (_lock)
        {
            var sockets = _socketsByUser.GetValueOrDefault(userId) + delta;
            if (sockets > 0)
            {
                _socketsByUser[userId] = sockets;
            }
            else
            {
                _socketsByUser.Remove(userId);
            }

            return (userId, Math.Max(sockets, 0), ++_version);
        }
    }

    private List<(string UserId, int Sockets, long Version)> Snapshot()
    {
        lock (_lock)
        {
            return _socketsByUser.Select(entry => (entry.Key, entry.Value, ++_version)).ToList();
        }
    }

    private async Task ReportAsync((string UserId, int Sockets, long Version) report)
    {
        try
        {
            var socketReport = new SocketReport(gateway.Id, gateway.Reference, report.Sockets, report.Version, options.Value.PresenceLease);
            await grains.GetGrain<IUserGrain>(report.UserId).ReportSockets(socketReport);
        }
        catch (Exception ex)
        {
            // The next renewal reports the same count again.
            logger.LogWarning(ex, "Could not report presence of {UserId}", report.UserId);
        }
    }
}
