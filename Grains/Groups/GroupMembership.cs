using OrleansChat.Limits;
using OrleansChat.Rules;

namespace OrleansChat.Groups;

/// <summary>
/// Who belongs to a group, in its own persistent state so that only joins and leaves write it. A failed
/// write leaves the state as it was before the change.
/// </summary>
internal sealed class GroupMembership(IPersistentState<GroupMembersState> members, string group, LimitsOptions limits, TimeProvider clock)
{
    public IReadOnlyDictionary<string, string> UsernamesById => members.State.Members;

    public string? UsernameOf(string userId) => members.State.Members.GetValueOrDefault(userId);

    public void RequireExists()
    {
        if (!members.State.Exists)
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

    /// <summary>Adds a member, creating the group with its first; false when the user already was one.</summary>
    public async Task<bool> AddAsync(string userId, string username)
    {
        ChatRules.Group.Require(group);
        var state = members.State;
        if (state.Members.ContainsKey(userId))
        {
            return false;
        }

        if (limits.Enabled && state.Members.Count >= limits.MembersPerGroup)
        {
            throw ChatRules.TooManyMembers(limits.MembersPerGroup);
        }

        var created = !state.Exists;
        state.Members[userId] = username;
        state.Exists = true;
        if (created)
        {
            state.CreatedAt = clock.UtcNowToMillisecond();
        }

        try
        {
            await members.WriteStateAsync();
        }
        catch
        {
            state.Members.Remove(userId);
            state.Exists = !created;
            throw;
        }

        return true;
    }

    /// <summary>Ends a membership and returns the username it had.</summary>
    public async Task<string> RemoveAsync(string userId)
    {
        var username = RequireMember(userId);
        members.State.Members.Remove(userId);
        try
        {
            await members.WriteStateAsync();
        }
        catch
        {
            members.State.Members[userId] = username;
            throw;
        }

        return username;
    }
}
