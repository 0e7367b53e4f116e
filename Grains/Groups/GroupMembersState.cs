namespace OrleansChat.Groups;

/// <summary>
/// A group's membership, roles, invitations and bans, written only when they change, never on a publish. A group
/// stored before roles existed loads public and without an owner, so nobody can moderate it.
/// </summary>
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

    [Id(3)]
    public GroupVisibility Visibility { get; set; }

    [Id(4)]
    public string? OwnerId { get; set; }

    [Id(5)]
    public HashSet<string> Admins { get; set; } = [];

    /// <summary>Users invited and not yet joined: userId to username as registered.</summary>
    [Id(6)]
    public Dictionary<string, string> Invited { get; set; } = [];

    /// <summary>Users banned: userId to username as registered.</summary>
    [Id(7)]
    public Dictionary<string, string> Banned { get; set; } = [];

    /// <summary>Deleted by its owner; the name stays taken, so that no seq is ever used twice.</summary>
    [Id(8)]
    public bool Deleted { get; set; }

    public GroupRole RoleOf(string userId) =>
        userId == OwnerId ? GroupRole.Owner : Admins.Contains(userId) ? GroupRole.Admin : GroupRole.Member;

    public GroupMembersState Copy() => new()
    {
        Exists = Exists,
        Members = new(Members),
        CreatedAt = CreatedAt,
        Visibility = Visibility,
        OwnerId = OwnerId,
        Admins = [.. Admins],
        Invited = new(Invited),
        Banned = new(Banned),
        Deleted = Deleted,
    };
}
