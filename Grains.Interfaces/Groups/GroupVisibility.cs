namespace OrleansChat.Groups;

/// <summary>Who may join a group: anyone (public), or only those its owner or admins invited (private).</summary>
public enum GroupVisibility
{
    Public,
    Private,
}
