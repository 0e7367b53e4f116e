namespace OrleansChat.Gateway.Sockets;

/// <summary>
/// Refills every socket's request allowance once a second from one timer: a timer per socket (the rate
/// limiter's own auto-replenishment) would cost memory and wake-ups for each of many idle sockets.
/// </summary>
internal sealed class RequestPermitReplenisher(ConnectionRegistry registry) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            registry.ForEach(connection => connection.ReplenishRequestPermits());
        }
    }
}
