namespace OrleansChat.Groups;

/// <summary>
/// Who may do what to whom in a group: pure rules over its state. An owner or admin acts only on users of a lower
/// role; owners and admins invite, kick, ban, unban and promote; only the owner demotes admins and hands the group
/// over.
/// </summary>
internal static class GroupAccess
{
    /// <summary>Throws forbidden, not_found, conflict or bad_request unless the actor may take the action on the target.</summary>
    public static void Require(GroupMembersState state, string group, string actorId, string targetId, string targetName, MemberAction action)
    {
        var verb = Verb(action);
        if (actorId == targetId)
        {
            throw new Errors.ChatException(Errors.ChatErrorCode.BadRequest, $"you cannot {verb} yourself");
        }

        var actor = state.RoleOf(actorId);
        var needed = action is MemberAction.Demote or MemberAction.Transfer ? GroupRole.Owner : GroupRole.Admin;
        if (actor < needed)
        {
            throw Fail.Forbidden(needed == GroupRole.Owner
                ? $"only the owner of {group} may {verb} members"
                : $"only the owner or an admin of {group} may {verb} users");
        }

        var isMember = state.Members.ContainsKey(targetId);
        var target = state.RoleOf(targetId);
        switch (action)
        {
            case MemberAction.Invite when isMember:
                throw Fail.Conflict($"{targetName} is already a member of {group}");
            case MemberAction.Invite when state.Banned.ContainsKey(targetId):
                throw Fail.Conflict($"{targetName} is banned from {group}; unban them first");
            case MemberAction.Kick or MemberAction.Promote or MemberAction.Demote or MemberAction.Transfer when !isMember:
                throw Fail.NotFound($"{targetName} is not a member of {group}");
            case MemberAction.Promote when target != GroupRole.Member:
                throw Fail.Conflict($"{targetName} is already an admin of {group}");
            case MemberAction.Demote when target != GroupRole.Admin:
                throw Fail.Conflict($"{targetName} is not an admin of {group}");
        }

        if (isMember && target >= actor)
        {
            throw Fail.Forbidden($"{targetName} is {Article(target)} of {group}; you may act only on members below you");
        }
    }

    public static string Verb(MemberAction action) => action switch
    {
        MemberAction.Transfer => "hand the group to",
        _ => action.ToString().ToLowerInvariant(),
    };

    private static string Article(GroupRole role) => role switch
    {
        GroupRole.Owner => "the owner",
        GroupRole.Admin => "an admin",
        _ => "a member",
    };
}
