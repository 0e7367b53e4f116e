using Microsoft.Extensions.Options;

namespace OrleansChat.Gateway.Fanout;

/// <summary>
/// A lost final message has no successor to reveal the gap, so every relay compares its last seq with
/// its group's now and then.
/// </summary>
internal sealed class RelayTailChecker(FollowTable follows, IOptions<GatewayOptions> options) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.TailCheckInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            follows.CheckTails();
        }
    }
}
