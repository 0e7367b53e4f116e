namespace OrleansChat.Users;

/// <summary>
/// One of a user's direct conversations: the other user's registered name, its newest seq, the newest this user
/// has marked read, whether this user blocks the other one, and whether it is a message request (the other user
/// started it and this user has not written in it), and its change counter.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansChat.ConversationSummary")]
public sealed record ConversationSummary(
    [property: Id(0)] string With,
    [property: Id(1)] long LastSeq,
    [property: Id(2)] bool Blocked,
    [property: Id(3)] long ReadSeq = 0,
    [property: Id(4)] bool Request = false,
    [property: Id(5)] long Rev = 0)
{
    public long Unread => Math.Max(0, LastSeq - ReadSeq);
}
