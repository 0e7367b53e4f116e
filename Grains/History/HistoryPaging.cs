namespace OrleansChat.History;

/// <summary>
/// History is cut into pages of a fixed size so that every storage write costs the same, however long
/// the group's history. Page N holds seqs N*Capacity+1 .. (N+1)*Capacity.
/// </summary>
public static class HistoryPaging
{
    public const int PageCapacity = 32;

    public static long PageOf(long seq) => (seq - 1) / PageCapacity;
}
