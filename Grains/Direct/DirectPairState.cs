namespace OrleansChat.Direct;

/// <summary>
/// Who a direct conversation is between, written only when it starts and when either side blocks or unblocks,
/// so that a message writes the head alone (as a group's does).
/// </summary>
[GenerateSerializer, Alias("OrleansChat.DirectPairState")]
public sealed class DirectPairState
{
    /// <summary>True once both users' conversation lists hold the conversation.</summary>
    [Id(0)]
    public bool Introduced { get; set; }

    /// <summary>The participants' registered usernames by userId, as far as known.</summary>
    [Id(1)]
    public Dictionary<string, string> Usernames { get; set; } = [];

    /// <summary>The participants who block the other one.</summary>
    [Id(2)]
    public HashSet<string> BlockedBy { get; set; } = [];
}
