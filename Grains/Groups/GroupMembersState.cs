namespace OrleansChat.Groups;

/// <summary>A group's membership, written only when someone joins or leaves, never on a publish.</summary>
[GenerateSerializer, Alias("OrleansChat.GroupMembersState")]
public sealed class GroupMembersState
{
    /// <summary>True once the first member joined; a group outlives its members so its history stays.</summary>
    [Id(0)]
    public bool Exists { get; set; }

    /// <summary>userId to username as registered.</summary>
    [Id(1)]
    public Dictionary<string, string> Members { get; set; } = [];

    [Id(2)]
    public DateTime CreatedAt { get; set; }
}
