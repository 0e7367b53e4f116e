namespace OrleansChat.History;

/// <summary>
/// Which seqs a history query selects. Seqs run from 1 to the last one with no gaps, so this is
/// arithmetic and needs no read.
/// </summary>
public readonly record struct HistoryRange(long From, long To, bool More)
{
    public static HistoryRange Resolve(HistoryQuery query, long lastSeq)
    {
        var upper = Math.Min(query.Before is { } before ? before - 1 : lastSeq, lastSeq);
        if (query.After is { } after)
        {
            var from = Math.Max(after, 0) + 1;
            if (from > upper)
            {
                return new HistoryRange(from, from - 1, More: false);
            }

            var to = Math.Min(upper, from + query.Limit - 1);
            return new HistoryRange(from, to, More: to < upper);
        }

        if (upper < 1)
        {
            return new HistoryRange(1, 0, More: false);
        }

        var newestFrom = Math.Max(1, upper - query.Limit + 1);
        return new HistoryRange(newestFrom, upper, More: newestFrom > 1);
    }
}
