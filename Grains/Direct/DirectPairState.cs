namespace OrleansChat.Direct;

/// <summary>
/// Who a direct conversation is between and whose lists hold it, written when either user's list changes and when
/// either side blocks or unblocks, so that a message in a listed conversation writes the head alone (as a group's does).
/// </summary>
[GenerateSerializer, Alias("OrleansChat.DirectPairState")]
public sealed class DirectPairState
{
    /// <summary>
    /// Written before message requests: true once both users' lists held the conversation. A grain that reads it
    /// true with nobody in <see cref="ListedBy"/> counts both as listed (<see cref="DirectGrain"/>'s activation).
    /// </summary>
    [Id(0)]
    public bool Introduced { get; set; }

    /// <summary>The participants' registered usernames by userId, as far as known.</summary>
    [Id(1)]
    public Dictionary<string, string> Usernames { get; set; } = [];

    /// <summary>The participants who block the other one.</summary>
    [Id(2)]
    public HashSet<string> BlockedBy { get; set; } = [];

    /// <summary>The participants whose conversation lists hold the conversation, as far as this grain was told.</summary>
    [Id(3)]
    public HashSet<string> ListedBy { get; set; } = [];

    /// <summary>The listed participants who hold it as a message request: the other one wrote, they have not.</summary>
    [Id(4)]
    public HashSet<string> RequestFor { get; set; } = [];
}
