using OrleansChat.Errors;
using OrleansChat.Groups;
using OrleansChat.Presence;
using OrleansChat.Tests.Infrastructure;
using OrleansChat.Users;

namespace OrleansChat.Tests.Grains;

/// <summary>Private groups, roles, invitations, kicks, bans and deletion, each checked in the group grain whoever calls.</summary>
[Collection(ClusterCollection.Name)]
public sealed class GroupRolesTests(ClusterFixture fixture)
{
    [Fact]
    public async Task PrivateGroup_JoinedOnlyByInvitation_WhichIsUsedUp()
    {
        var (ann, bob) = (await RegisterAsync("Ann"), await RegisterAsync("Bob"));
        var group = Unique.Name("g");

        var created = await User(ann).CreateGroup(group, GroupVisibility.Private);
        var uninvited = await Assert.ThrowsAsync<ChatException>(() => User(bob).JoinGroup(group));
        await Group(group).Moderate(ann.UserId, bob.UserId, MemberAction.Invite);
        var joined = await User(bob).JoinGroup(group);
        await User(bob).LeaveGroup(group);
        var again = await Assert.ThrowsAsync<ChatException>(() => User(bob).JoinGroup(group));

        Assert.Equal((GroupRole.Owner, GroupVisibility.Private), (created.Role, created.Visibility));
        Assert.Equal(ChatErrorCode.Forbidden, uninvited.Code);
        Assert.Equal((GroupRole.Member, GroupVisibility.Private), (joined.Role, joined.Visibility));
        Assert.Equal(ChatErrorCode.Forbidden, again.Code);
    }

    [Fact]
    public async Task CreatingATakenName_Conflict_JoiningANewNameMakesTheOwner()
    {
        var (ann, bob) = (await RegisterAsync("Ann"), await RegisterAsync("Bob"));
        var group = Unique.Name("g");

        var first = await User(ann).JoinGroup(group);
        var taken = await Assert.ThrowsAsync<ChatException>(() => User(bob).CreateGroup(group, GroupVisibility.Public));

        Assert.Equal((GroupRole.Owner, GroupVisibility.Public), (first.Role, first.Visibility));
        Assert.Equal(ChatErrorCode.Conflict, taken.Code);
    }

    [Fact]
    public async Task Kick_EndsTheMembership_EmitsTheEvents_AndTellsTheUser()
    {
        var (ann, bob) = (await RegisterAsync("Ann"), await RegisterAsync("Bob"));
        var group = Unique.Name("g");
        await User(ann).JoinGroup(group);
        await User(bob).JoinGroup(group);
        var gateway = new RecordingGateway();
        await User(bob).ReportSockets(new SocketReport("gw", fixture.Client.CreateObjectReference<IGatewayObserver>(gateway), 1, 1, TimeSpan.FromMinutes(5)));
        await using var events = await GroupEvents.SubscribeAsync(fixture.Client, group);

        var target = await Group(group).Moderate(ann.UserId, bob.UserId, MemberAction.Kick);

        Assert.Equal(bob, target);
        Assert.Equal(new MemberChanged(bob.UserId, bob.Username, MemberAction.Kick, ann.Username, GroupRole.Member), await events.NextAsync<MemberChanged>());
        Assert.Equal(PresenceStatus.Left, (await events.NextAsync<PresenceChanged>(p => p.UserId == bob.UserId)).Status);
        Assert.Equal((bob.UserId, new GroupNotice(group, GroupNoticeKind.Kicked, ann.Username)), await gateway.NextGroupNoticeAsync());
        Assert.Empty(await User(bob).GetGroups());
        Assert.Equal(ChatErrorCode.Forbidden, (await Assert.ThrowsAsync<ChatException>(() => Group(group).Publish(bob.UserId, "still here?", null))).Code);
        Assert.Equal(GroupRole.Member, (await User(bob).JoinGroup(group)).Role);
    }

    [Fact]
    public async Task Ban_KeepsTheUserOut_UntilUnbanned()
    {
        var (ann, bob) = (await RegisterAsync("Ann"), await RegisterAsync("Bob"));
        var group = Unique.Name("g");
        await User(ann).JoinGroup(group);
        await User(bob).JoinGroup(group);

        await Group(group).Moderate(ann.UserId, bob.UserId, MemberAction.Ban);
        var banned = await Assert.ThrowsAsync<ChatException>(() => User(bob).JoinGroup(group));
        await Group(group).Moderate(ann.UserId, bob.UserId, MemberAction.Unban);

        Assert.Equal((ChatErrorCode.Forbidden, $"you are banned from {group}"), (banned.Code, banned.Message));
        Assert.False((await User(bob).JoinGroup(group)).WasMember);
    }

    [Fact]
    public async Task Roles_AdminsActBelowThemselves_TheOwnerHandsOver()
    {
        var (ann, bob, cat) = (await RegisterAsync("Ann"), await RegisterAsync("Bob"), await RegisterAsync("Cat"));
        var group = Unique.Name("g");
        foreach (var user in new[] { ann, bob, cat })
        {
            await User(user).JoinGroup(group);
        }

        await Group(group).Moderate(ann.UserId, bob.UserId, MemberAction.Promote);
        var memberActs = await Assert.ThrowsAsync<ChatException>(() => Group(group).Moderate(cat.UserId, bob.UserId, MemberAction.Kick));
        var adminOnOwner = await Assert.ThrowsAsync<ChatException>(() => Group(group).Moderate(bob.UserId, ann.UserId, MemberAction.Kick));
        var adminDemotes = await Assert.ThrowsAsync<ChatException>(() => Group(group).Moderate(bob.UserId, cat.UserId, MemberAction.Demote));
        await Group(group).Moderate(ann.UserId, bob.UserId, MemberAction.Transfer);
        var roles = (await Group(group).GetMembers(ann.UserId)).ToDictionary(member => member.UserId, member => member.Role);

        Assert.Equal(ChatErrorCode.Forbidden, memberActs.Code);
        Assert.Equal(ChatErrorCode.Forbidden, adminOnOwner.Code);
        Assert.Equal(ChatErrorCode.Forbidden, adminDemotes.Code);
        Assert.Equal((GroupRole.Admin, GroupRole.Owner, GroupRole.Member), (roles[ann.UserId], roles[bob.UserId], roles[cat.UserId]));
    }

    [Fact]
    public async Task OwnerLeaving_HandsTheGroupToAnAdmin()
    {
        var (ann, bob, cat) = (await RegisterAsync("Ann"), await RegisterAsync("Bob"), await RegisterAsync("Cat"));
        var group = Unique.Name("g");
        foreach (var user in new[] { ann, bob, cat })
        {
            await User(user).JoinGroup(group);
        }

        await Group(group).Moderate(ann.UserId, cat.UserId, MemberAction.Promote);
        await using var events = await GroupEvents.SubscribeAsync(fixture.Client, group);
        await User(ann).LeaveGroup(group);

        Assert.Equal(
            new MemberChanged(cat.UserId, cat.Username, MemberAction.Transfer, ann.Username, GroupRole.Owner),
            await events.NextAsync<MemberChanged>(change => change.Action == MemberAction.Transfer));
        Assert.Equal(GroupRole.Owner, (await Group(group).GetMembers(bob.UserId)).Single(member => member.UserId == cat.UserId).Role);
    }

    [Fact]
    public async Task Delete_ByTheOwnerOnly_ThenNotFound_AndTheNameStaysTaken()
    {
        var (ann, bob) = (await RegisterAsync("Ann"), await RegisterAsync("Bob"));
        var group = Unique.Name("g");
        await User(ann).JoinGroup(group);
        await User(bob).JoinGroup(group);
        await using var events = await GroupEvents.SubscribeAsync(fixture.Client, group);

        var notOwner = await Assert.ThrowsAsync<ChatException>(() => Group(group).DeleteGroup(bob.UserId));
        await Group(group).DeleteGroup(ann.UserId);

        Assert.Equal(ChatErrorCode.Forbidden, notOwner.Code);
        Assert.Equal(ann.Username, (await events.NextAsync<GroupDeleted>()).By);
        Assert.Equal(ChatErrorCode.NotFound, (await Assert.ThrowsAsync<ChatException>(() => Group(group).Publish(ann.UserId, "gone?", null))).Code);
        Assert.Equal(ChatErrorCode.NotFound, (await Assert.ThrowsAsync<ChatException>(() => User(bob).JoinGroup(group))).Code);
        Assert.Equal(ChatErrorCode.Conflict, (await Assert.ThrowsAsync<ChatException>(() => User(bob).CreateGroup(group, GroupVisibility.Public))).Code);
        Assert.Empty(await User(bob).GetGroups());
    }

    [Fact]
    public async Task InvitationsAndBans_Bounded()
    {
        var ann = await RegisterAsync("Ann");
        var group = Unique.Name("g");
        await User(ann).CreateGroup(group, GroupVisibility.Private);
        var limit = ClusterFixture.InvitationsAndBansPerGroup;

        async Task<ChatException> OneTooMany(MemberAction action)
        {
            for (var i = 0; i < limit; i++)
            {
                await Group(group).Moderate(ann.UserId, (await RegisterAsync("Other")).UserId, action);
            }

            var late = await RegisterAsync("Late");
            return await Assert.ThrowsAsync<ChatException>(() => Group(group).Moderate(ann.UserId, late.UserId, action));
        }

        Assert.Equal(ChatErrorCode.RateLimited, (await OneTooMany(MemberAction.Invite)).Code);
        Assert.Equal(ChatErrorCode.RateLimited, (await OneTooMany(MemberAction.Ban)).Code);
    }

    [Fact]
    public async Task Moderating_AsSomeoneNotInTheGroup_Forbidden_AnUnknownTarget_NotFound()
    {
        var (ann, eve) = (await RegisterAsync("Ann"), await RegisterAsync("Eve"));
        var group = Unique.Name("g");
        await User(ann).JoinGroup(group);

        var stranger = await Assert.ThrowsAsync<ChatException>(() => Group(group).Moderate(eve.UserId, ann.UserId, MemberAction.Kick));
        var nobody = await Assert.ThrowsAsync<ChatException>(() => Group(group).Moderate(ann.UserId, Unique.Name("nobody"), MemberAction.Invite));

        Assert.Equal((ChatErrorCode.Forbidden, ChatErrorCode.NotFound), (stranger.Code, nobody.Code));
    }

    private IUserGrain User(UserIdentity user) => fixture.User(user);

    private Task<UserIdentity> RegisterAsync(string prefix) => fixture.RegisterAsync(prefix);

    private IGroupGrain Group(string name) => fixture.Client.GetGrain<IGroupGrain>(name);
}
