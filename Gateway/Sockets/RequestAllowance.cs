using System.Diagnostics;

namespace OrleansChat.Gateway.Sockets;

/// <summary>
/// One socket's token bucket for requests: <c>burst</c> tokens at most, refilled at <c>perSecond</c>.
/// It refills lazily from the time elapsed whenever a request asks for a token, so it needs no timer
/// (idle sockets are many), and only the socket's read loop uses it, one request at a time, so it
/// needs no lock.
/// </summary>
internal sealed class RequestAllowance(int perSecond, int burst)
{
    private double _tokens = burst;
    private long _refilledAt = Stopwatch.GetTimestamp();

    public bool TryTake()
    {
        var now = Stopwatch.GetTimestamp();
        _tokens = Math.Min(burst, _tokens + (Stopwatch.GetElapsedTime(_refilledAt, now).TotalSeconds * perSecond));
        _refilledAt = now;
        if (_tokens < 1)
        {
            return false;
        }

        _tokens--;
        return true;
    }
}
