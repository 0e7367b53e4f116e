namespace OrleansChat.Groups;

/// <summary>A member's standing in a group, lowest first: a member acts only on members of a lower role.</summary>
public enum GroupRole
{
    Member,
    Admin,
    Owner,
}
