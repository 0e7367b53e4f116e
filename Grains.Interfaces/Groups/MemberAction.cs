namespace OrleansChat.Groups;

/// <summary>What an owner or admin does to another user in a group; <see cref="Transfer"/> makes the target the owner.</summary>
public enum MemberAction
{
    Invite,
    Kick,
    Ban,
    Unban,
    Promote,
    Demote,
    Transfer,
}
