namespace OrleansChat.Users;

/// <summary>One of the user's groups: its newest seq, the newest the user has marked read, and its change counter.</summary>
[GenerateSerializer, Immutable, Alias("OrleansChat.GroupSummary")]
public sealed record GroupSummary(
    [property: Id(0)] string Group,
    [property: Id(1)] long LastSeq,
    [property: Id(2)] long ReadSeq = 0,
    [property: Id(3)] long Rev = 0)
{
    public long Unread => Math.Max(0, LastSeq - ReadSeq);
}
