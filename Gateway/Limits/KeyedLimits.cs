namespace OrleansChat.Gateway.Limits;

/// <summary>
/// One limit state per key (a client address, a user), made on first use. States that have gone back to
/// their resting value are dropped once the table has grown, so a flood of distinct keys cannot grow it
/// without bound; the next sweep waits until it has doubled again, which keeps the cost per use constant.
/// Callers hold the table's lock (<see cref="Lock"/>) around every use of it and of its states.
/// </summary>
internal sealed class KeyedLimits<TKey, TState>(Func<TState> create, Func<TState, bool> isAtRest)
    where TKey : notnull
{
    private const int SweepAbove = 1024;

    private readonly Dictionary<TKey, TState> _states = [];
    private int _sweepAt = SweepAbove;

    public Lock Lock { get; } = new();

    public int Count => _states.Count;

    public TState For(TKey key)
    {
        if (!_states.TryGetValue(key, out var state))
        {
            SweepIfLarge();
            state = create();
            _states[key] = state;
        }

        return state;
    }

    private void SweepIfLarge()
    {
        if (_states.Count < _sweepAt)
        {
            return;
        }

        foreach (var (key, state) in _states)
        {
            if (isAtRest(state))
            {
                _states.Remove(key);
            }
        }

        _sweepAt = Math.Max(SweepAbove, _states.Count * 2);
    }
}
