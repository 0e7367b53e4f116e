using OrleansChat.Errors;
using OrleansChat.Groups;

namespace OrleansChat.Tests.Unit;

/// <summary>The rules of who may do what to whom in a group, over a group with an owner, an admin, two members, an outsider and a banned user.</summary>
[Trait("Category", "Unit")]
public sealed class GroupAccessTests
{
    private readonly GroupMembersState _state = new()
    {
        Exists = true,
        OwnerId = "owner",
        Admins = ["admin"],
        Members = new() { ["owner"] = "Owner", ["admin"] = "Admin", ["ann"] = "Ann", ["bob"] = "Bob" },
        Banned = new() { ["banned"] = "Banned" },
    };

    [Theory]
    [InlineData("owner", "ann", MemberAction.Kick)]
    [InlineData("owner", "admin", MemberAction.Kick)]
    [InlineData("owner", "admin", MemberAction.Demote)]
    [InlineData("owner", "ann", MemberAction.Transfer)]
    [InlineData("owner", "outsider", MemberAction.Invite)]
    [InlineData("admin", "ann", MemberAction.Kick)]
    [InlineData("admin", "ann", MemberAction.Ban)]
    [InlineData("admin", "ann", MemberAction.Promote)]
    [InlineData("admin", "outsider", MemberAction.Invite)]
    [InlineData("admin", "outsider", MemberAction.Ban)]
    [InlineData("admin", "banned", MemberAction.Unban)]
    public void Allowed(string actor, string target, MemberAction action) =>
        GroupAccess.Require(_state, "g", actor, target, target, action);

    [Theory]
    [InlineData("ann", "bob", MemberAction.Kick, ChatErrorCode.Forbidden)]
    [InlineData("ann", "outsider", MemberAction.Invite, ChatErrorCode.Forbidden)]
    [InlineData("admin", "admin2", MemberAction.Demote, ChatErrorCode.Forbidden)]
    [InlineData("admin", "owner", MemberAction.Kick, ChatErrorCode.Forbidden)]
    [InlineData("admin", "ann", MemberAction.Transfer, ChatErrorCode.Forbidden)]
    [InlineData("owner", "owner", MemberAction.Kick, ChatErrorCode.BadRequest)]
    [InlineData("owner", "ann", MemberAction.Invite, ChatErrorCode.Conflict)]
    [InlineData("owner", "banned", MemberAction.Invite, ChatErrorCode.Conflict)]
    [InlineData("owner", "admin", MemberAction.Promote, ChatErrorCode.Conflict)]
    [InlineData("owner", "ann", MemberAction.Demote, ChatErrorCode.Conflict)]
    [InlineData("owner", "outsider", MemberAction.Kick, ChatErrorCode.NotFound)]
    [InlineData("owner", "outsider", MemberAction.Transfer, ChatErrorCode.NotFound)]
    public void Refused(string actor, string target, MemberAction action, ChatErrorCode code) =>
        Assert.Equal(code, Assert.Throws<ChatException>(() => GroupAccess.Require(_state, "g", actor, target, target, action)).Code);

    [Fact]
    public void AnAdminActsOnlyBelowItself() =>
        Assert.Equal(
            ChatErrorCode.Forbidden,
            Assert.Throws<ChatException>(() => GroupAccess.Require(WithSecondAdmin(), "g", "admin", "admin2", "Admin2", MemberAction.Kick)).Code);

    [Fact]
    public void AGroupWithoutAnOwner_NobodyModerates() =>
        Assert.Equal(
            ChatErrorCode.Forbidden,
            Assert.Throws<ChatException>(() => GroupAccess.Require(new GroupMembersState { Exists = true, Members = new() { ["ann"] = "Ann", ["bob"] = "Bob" } }, "g", "ann", "bob", "Bob", MemberAction.Kick)).Code);

    private GroupMembersState WithSecondAdmin()
    {
        var state = _state.Copy();
        state.Members["admin2"] = "Admin2";
        state.Admins.Add("admin2");
        return state;
    }
}
