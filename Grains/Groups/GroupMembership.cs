using OrleansChat.Limits;
using OrleansChat.Rules;

namespace OrleansChat.Groups;

/// <summary>
/// Who belongs to a group and in which role, who is invited and who is banned, in its own persistent state so
/// that only these changes write it. A failed write leaves the state as it was before the change.
/// </summary>
internal sealed class GroupMembership(IPersistentState<GroupMembersState> members, string group, LimitsOptions limits, TimeProvider clock)
{
    public IReadOnlyDictionary<string, string> UsernamesById => members.State.Members;

    public GroupVisibility Visibility => members.State.Visibility;

    public string? UsernameOf(string userId) => members.State.Members.GetValueOrDefault(userId);

    public GroupRole RoleOf(string userId) => members.State.RoleOf(userId);

    public void RequireExists()
    {
        if (!members.State.Exists || members.State.Deleted)
        {
            throw Fail.NotFound($"no group named {group}");
        }
    }

    /// <summary>The member's username; not_found for a missing group, forbidden for anyone else.</summary>
    public string RequireMember(string userId)
    {
        RequireExists();
        return UsernameOf(userId) ?? throw Fail.Forbidden($"not a member of {group}");
    }

    /// <summary>Creates the group with its owner as first member; conflict when the name is taken, even by a deleted group.</summary>
    public Task CreateAsync(string userId, string username, GroupVisibility visibility)
    {
        ChatRules.Group.Require(group);
        if (members.State.Exists)
        {
            throw Fail.Conflict(members.State.Deleted ? $"the name {group} belonged to a deleted group" : $"the group {group} exists");
        }

        return ChangeAsync(state => Found(state, userId, username, visibility));
    }

    /// <summary>
    /// Adds a member, creating a public group owned by its first; false when the user already was one. A banned
    /// user, or anyone uninvited to a private group, is refused.
    /// </summary>
    public async Task<bool> AddAsync(string userId, string username)
    {
        ChatRules.Group.Require(group);
        var state = members.State;
        if (state.Members.ContainsKey(userId))
        {
            return false;
        }

        if (!state.Exists)
        {
            await ChangeAsync(created => Found(created, userId, username, GroupVisibility.Public));
            return true;
        }

        RequireExists();
        if (state.Banned.ContainsKey(userId))
        {
            throw Fail.Forbidden($"you are banned from {group}");
        }

        if (state.Visibility == GroupVisibility.Private && !state.Invited.ContainsKey(userId))
        {
            throw Fail.Forbidden($"{group} is private: join it when a member invites you");
        }

        if (limits.Enabled && state.Members.Count >= limits.MembersPerGroup)
        {
            throw ChatRules.TooManyMembers(limits.MembersPerGroup);
        }

        await ChangeAsync(changed =>
        {
            // Everyone left a group whose owner had left: its next member takes it over.
            if (changed.OwnerId is null && changed.Members.Count == 0)
            {
                changed.OwnerId = userId;
            }

            changed.Members[userId] = username;
            changed.Invited.Remove(userId);
        });
        return true;
    }

    /// <summary>
    /// Ends a membership and returns the username it had. An owner who leaves hands the group to an admin, else to a
    /// member (the first by userId), returned as the new owner; the last member leaves it ownerless.
    /// </summary>
    public async Task<(string Username, string? NewOwnerId)> RemoveAsync(string userId)
    {
        var username = RequireMember(userId);
        string? newOwner = null;
        await ChangeAsync(state =>
        {
            Drop(state, userId);
            if (state.OwnerId == userId)
            {
                newOwner = state.Admins.Order(StringComparer.Ordinal).FirstOrDefault()
                    ?? state.Members.Keys.Order(StringComparer.Ordinal).FirstOrDefault();
                state.OwnerId = newOwner;
                state.Admins.Remove(newOwner ?? "");
            }
        });
        return (username, newOwner);
    }

    /// <summary>
    /// Applies an owner's or admin's action, checked by <see cref="GroupAccess"/>; returns the target's role
    /// afterwards, whether the target stopped being a member, and whether anything changed (banning the banned,
    /// unbanning the unbanned and inviting the invited change nothing).
    /// </summary>
    public async Task<(GroupRole Role, bool Removed, bool Changed)> ModerateAsync(string actorId, string targetId, string targetName, MemberAction action)
    {
        RequireMember(actorId);
        GroupAccess.Require(members.State, group, actorId, targetId, targetName, action);
        var state = members.State;
        var unchanged = action switch
        {
            MemberAction.Invite => state.Invited.ContainsKey(targetId),
            MemberAction.Ban => state.Banned.ContainsKey(targetId) && !state.Members.ContainsKey(targetId),
            MemberAction.Unban => !state.Banned.ContainsKey(targetId),
            _ => false,
        };
        if (unchanged)
        {
            return (RoleOf(targetId), Removed: false, Changed: false);
        }

        RequireRoomFor(action, targetId);
        var removed = action is MemberAction.Kick || (action is MemberAction.Ban && members.State.Members.ContainsKey(targetId));
        await ChangeAsync(state =>
        {
            switch (action)
            {
                case MemberAction.Invite:
                    state.Invited[targetId] = targetName;
                    break;
                case MemberAction.Kick:
                    Drop(state, targetId);
                    break;
                case MemberAction.Ban:
                    Drop(state, targetId);
                    state.Invited.Remove(targetId);
                    state.Banned[targetId] = targetName;
                    break;
                case MemberAction.Unban:
                    state.Banned.Remove(targetId);
                    break;
                case MemberAction.Promote:
                    state.Admins.Add(targetId);
                    break;
                case MemberAction.Demote:
                    state.Admins.Remove(targetId);
                    break;
                case MemberAction.Transfer:
                    state.Admins.Remove(targetId);
                    state.Admins.Add(actorId);
                    state.OwnerId = targetId;
                    break;
            }
        });
        return (RoleOf(targetId), removed, Changed: true);
    }

    /// <summary>Deletes the group (owner only) and returns its members then, who are members no more.</summary>
    public async Task<IReadOnlyList<string>> DeleteAsync(string actorId)
    {
        RequireMember(actorId);
        if (RoleOf(actorId) != GroupRole.Owner)
        {
            throw Fail.Forbidden($"only the owner of {group} may delete it");
        }

        var former = members.State.Members.Keys.ToList();
        await ChangeAsync(state =>
        {
            state.Deleted = true;
            state.Members.Clear();
            state.Admins.Clear();
            state.Invited.Clear();
            state.OwnerId = null;
        });
        return former;
    }

    /// <summary>Invitations and bans are bounded, so that no one can grow a group's state without end.</summary>
    private void RequireRoomFor(MemberAction action, string targetId)
    {
        var state = members.State;
        if (!limits.Enabled)
        {
            return;
        }

        if (action == MemberAction.Invite && !state.Invited.ContainsKey(targetId) && state.Invited.Count >= limits.InvitationsPerGroup)
        {
            throw ChatRules.TooManyInvitations(limits.InvitationsPerGroup);
        }

        if (action == MemberAction.Ban && !state.Banned.ContainsKey(targetId) && state.Banned.Count >= limits.BansPerGroup)
        {
            throw ChatRules.TooManyBans(limits.BansPerGroup);
        }
    }

    private void Found(GroupMembersState state, string userId, string username, GroupVisibility visibility)
    {
        state.Exists = true;
        state.CreatedAt = clock.UtcNowToMillisecond();
        state.Visibility = visibility;
        state.OwnerId = userId;
        state.Members[userId] = username;
    }

    private static void Drop(GroupMembersState state, string userId)
    {
        state.Members.Remove(userId);
        state.Admins.Remove(userId);
    }

    private async Task ChangeAsync(Action<GroupMembersState> change)
    {
        var before = members.State;
        var changed = before.Copy();
        change(changed);
        members.State = changed;
        try
        {
            await members.WriteStateAsync();
        }
        catch
        {
            members.State = before;
            throw;
        }
    }
}
