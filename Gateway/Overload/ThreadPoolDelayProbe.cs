using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace OrleansChat.Gateway.Overload;

/// <summary>
/// Measures how long work waits for a thread on this gateway: every probe interval it queues one work item at
/// the back of the thread pool's global queue and times how long that item takes to start. With the CPU
/// short, socket writes, grain turns and relay loops all wait in that queue, so the delay is what every
/// delivery is held up by (the same idea as an event loop's lag).
/// </summary>
internal sealed class ThreadPoolDelayProbe(IOptions<GatewayOptions> options) : BackgroundService
{
    private long _delayTicks;
    private long _waitingSince;

    /// <summary>The delay of the latest probe, or of the one still waiting when that has waited longer.</summary>
    public TimeSpan Delay
    {
        get
        {
            var waitingSince = Volatile.Read(ref _waitingSince);
            var waiting = waitingSince == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(waitingSince);
            return TimeSpan.FromTicks(Math.Max(Volatile.Read(ref _delayTicks), waiting.Ticks));
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var overload = options.Value.Overload;
        if (!overload.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(overload.ProbeInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await ProbeAsync();
        }
    }

    private Task ProbeAsync()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var queuedAt = Stopwatch.GetTimestamp();
        Volatile.Write(ref _waitingSince, queuedAt);
        ThreadPool.UnsafeQueueUserWorkItem<object?>(
            _ =>
            {
                Volatile.Write(ref _delayTicks, Stopwatch.GetElapsedTime(queuedAt).Ticks);
                Volatile.Write(ref _waitingSince, 0);
                started.SetResult();
            },
            null,
            preferLocal: false);
        return started.Task;
    }
}
