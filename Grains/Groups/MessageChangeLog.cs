using OrleansChat.Conversations;
using OrleansChat.Rules;

namespace OrleansChat.Groups;

/// <summary>
/// Counts a conversation's changes and remembers which messages the newest ones touched, so that a client back
/// from a disconnection can ask what changed after the rev it last saw. A change is recorded before its message
/// is stored, but shown (in <see cref="Rev"/> and <see cref="Since"/>) only once it is: a reader never gets a rev
/// whose message still has its old text. A failed write leaves the log as it was.
/// </summary>
/// <remarks>Create it once the grain's state is read (on activation): it starts from the stored rev.</remarks>
internal sealed class MessageChangeLog(IPersistentState<ChangesState> changes)
{
    // What was stored before this activation is shown: a recorded change whose message was then not stored points
    // at a message as it is, which a client only reads again.
    private long _shownRev = changes.State.Rev;

    public long Rev => _shownRev;

    /// <summary>Records a change of the message <paramref name="seq"/>, durably; answers the rev it took.</summary>
    public async Task<long> RecordAsync(long seq)
    {
        var before = changes.State;
        var rev = before.Rev + 1;
        changes.State = new ChangesState
        {
            Rev = rev,
            Recent = [.. before.Recent.Skip(Math.Max(0, before.Recent.Count + 1 - ChatLimits.ChangeWindow)), new RecordedChange(rev, seq)],
        };
        try
        {
            await changes.WriteStateAsync();
        }
        catch
        {
            changes.State = before;
            throw;
        }

        return rev;
    }

    /// <summary>Shows the changes through <paramref name="rev"/>, whose message is now stored.</summary>
    public void Show(long rev) => _shownRev = Math.Max(_shownRev, rev);

    /// <summary>The messages changed after <paramref name="afterRev"/>, each once, at most <paramref name="limit"/> of them.</summary>
    public ChangedSeqs Since(long afterRev, int limit)
    {
        var recent = changes.State.Recent;
        if (recent.Count > 0 && afterRev < recent[0].Rev - 1)
        {
            return new ChangedSeqs([], Rev, More: false, Complete: false);
        }

        var seqs = new SortedSet<long>();
        var through = afterRev;
        foreach (var change in recent.Where(change => change.Rev > afterRev && change.Rev <= _shownRev))
        {
            if (seqs.Count == limit && !seqs.Contains(change.Seq))
            {
                return new ChangedSeqs([.. seqs], through, More: true, Complete: true);
            }

            seqs.Add(change.Seq);
            through = change.Rev;
        }

        // All of them: a client somehow ahead of the conversation (its rev from a lost store) takes the rev as it is.
        return new ChangedSeqs([.. seqs], Rev, More: false, Complete: true);
    }
}
