using System.Diagnostics;
using Orleans.Runtime.Messaging;

namespace OrleansChat.Gateway.Hosting;

/// <summary>
/// Retries a grain call of the gateway's that the cluster refused before any grain ran it: the message
/// could not be sent (<see cref="ConnectionFailedException"/>) or a silo rejected it
/// (<see cref="OrleansMessageRejectionException"/>, e.g. "silo is shutting down" while a silo stops
/// gracefully and hands its grains over). Retrying those is safe and hides a rolling restart from clients.
/// </summary>
/// <remarks>
/// Each call is retried on its own, so a request that made several calls never repeats the ones that
/// succeeded: a login whose second call was refused still logs in once. Calls grains make to each other
/// (which have a grain as their source) are left to the grains.
/// </remarks>
internal sealed class RefusedCallRetry : IOutgoingGrainCallFilter
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan LongestDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(10);

    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        if (context.SourceContext is not null)
        {
            await context.Invoke();
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var delay = FirstDelay;
        while (true)
        {
            try
            {
                await context.Invoke();
                return;
            }
            catch (Exception ex) when (IsRefusal(ex) && Stopwatch.GetElapsedTime(started) + delay < Budget)
            {
                await Task.Delay(delay);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestDelay.Ticks));
            }
        }
    }

    private static bool IsRefusal(Exception exception) =>
        exception is OrleansMessageRejectionException or ConnectionFailedException;
}
