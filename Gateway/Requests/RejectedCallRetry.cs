using System.Diagnostics;
using Orleans.Runtime.Messaging;

namespace OrleansChat.Gateway.Requests;

/// <summary>
/// Retries a request whose grain calls the cluster refused before any grain ran them: the message could
/// not be sent (<see cref="ConnectionFailedException"/>) or a silo rejected it
/// (<see cref="OrleansMessageRejectionException"/>, e.g. "silo is shutting down" while a silo stops
/// gracefully and hands its grains over). Retrying those is safe and hides a rolling restart from clients.
/// </summary>
internal static class RejectedCallRetry
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan LongestDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(10);

    public static async Task<T> RunAsync<T>(Func<Task<T>> call)
    {
        var started = Stopwatch.GetTimestamp();
        var delay = FirstDelay;
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception ex) when (IsRejection(ex) && Stopwatch.GetElapsedTime(started) + delay < Budget)
            {
                await Task.Delay(delay);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestDelay.Ticks));
            }
        }
    }

    private static bool IsRejection(Exception exception) =>
        exception is OrleansMessageRejectionException or ConnectionFailedException;
}
