namespace OrleansChat.Limits;

/// <summary>
/// Exponential back-off after failures in a row: the first <c>freeFailures</c> cost nothing, then each
/// further failure makes the next attempt wait twice as long as the one before (from <c>firstWait</c> up to
/// <c>longestWait</c>). A success, or a quiet spell of <c>longestWait</c> since the last failure, forgets them.
/// </summary>
public sealed class FailureBackoff(int freeFailures, TimeSpan firstWait, TimeSpan longestWait)
{
    private int _failures;
    private DateTime _lastFailure;
    private DateTime _blockedUntil;

    /// <summary>How long an attempt made now must still wait; zero when it may go ahead.</summary>
    public TimeSpan WaitAt(DateTime now) => now < _blockedUntil ? _blockedUntil - now : TimeSpan.Zero;

    /// <summary>True when nothing is remembered any more, so the back-off can be dropped.</summary>
    public bool IsForgottenAt(DateTime now) => _failures == 0 || now - _lastFailure >= longestWait;

    public void Failed(DateTime now)
    {
        if (IsForgottenAt(now))
        {
            _failures = 0;
        }

        _failures++;
        _lastFailure = now;
        var beyondFree = _failures - freeFailures;
        if (beyondFree > 0)
        {
            var wait = firstWait * Math.Pow(2, Math.Min(beyondFree - 1, 30));
            _blockedUntil = now + (wait < longestWait ? wait : longestWait);
        }
    }

    public void Succeeded()
    {
        _failures = 0;
        _blockedUntil = default;
    }
}
