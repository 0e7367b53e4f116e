using OrleansChat.Errors;
using OrleansChat.Groups;
using OrleansChat.Presence;
using OrleansChat.Tests.Infrastructure;
using OrleansChat.Users;

namespace OrleansChat.Tests.Grains;

[Collection(ClusterCollection.Name)]
public sealed class PresenceGrainTests(ClusterFixture fixture)
{
    private static readonly TimeSpan LongLease = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task SocketsOnTwoGateways_OnlineUntilTheLastOneCloses()
    {
        var (user, userId, group) = await MemberOfNewGroup();
        await using var events = await GroupEvents.SubscribeAsync(fixture.Client, group);
        var gateway = new RecordingGateway();
        var reference = fixture.Client.CreateObjectReference<IGatewayObserver>(gateway);

        await user.ReportSockets(new SocketReport("gw-a", reference, 2, 1, LongLease));
        await user.ReportSockets(new SocketReport("gw-b", reference, 1, 1, LongLease));
        await events.NextAsync<PresenceChanged>(p => p.Status == PresenceStatus.Online);
        Assert.True(await user.IsOnline());

        await user.ReportSockets(new SocketReport("gw-a", reference, 0, 2, LongLease));
        Assert.True(await user.IsOnline());
        await user.ReportSockets(new SocketReport("gw-b", reference, 0, 2, LongLease));
        Assert.False(await user.IsOnline());

        var offline = await events.NextAsync<PresenceChanged>(p => p.Status != PresenceStatus.Joined);
        Assert.Equal((userId, PresenceStatus.Offline), (offline.UserId, offline.Status));
        var members = await fixture.Client.GetGrain<IGroupGrain>(group).GetMembers(userId);
        Assert.False(Assert.Single(members).Online);
    }

    [Fact]
    public async Task ReportOvertakenByNewerOne_Ignored()
    {
        var (user, _, _) = await MemberOfNewGroup();
        var reference = fixture.Client.CreateObjectReference<IGatewayObserver>(new RecordingGateway());

        await user.ReportSockets(new SocketReport("gw", reference, 0, 5, LongLease));
        await user.ReportSockets(new SocketReport("gw", reference, 1, 4, LongLease));

        Assert.False(await user.IsOnline());
    }

    [Fact]
    public async Task GatewayStopsRenewing_UserGoesOfflineWhenLeaseExpires()
    {
        var (user, userId, group) = await MemberOfNewGroup();
        await using var events = await GroupEvents.SubscribeAsync(fixture.Client, group);
        var reference = fixture.Client.CreateObjectReference<IGatewayObserver>(new RecordingGateway());

        await user.ReportSockets(new SocketReport("dying-gateway", reference, 1, 1, TimeSpan.FromMilliseconds(300)));
        await events.NextAsync<PresenceChanged>(p => p.Status == PresenceStatus.Online);

        var offline = await events.NextAsync<PresenceChanged>(p => p.Status != PresenceStatus.Joined);
        Assert.Equal((userId, PresenceStatus.Offline), (offline.UserId, offline.Status));
        Assert.False(await user.IsOnline());
    }

    [Fact]
    public async Task JoinElsewhere_NotifiesGatewaysHoldingTheUsersSockets()
    {
        var (user, userId, _) = await MemberOfNewGroup();
        var gateway = new RecordingGateway();
        var reference = fixture.Client.CreateObjectReference<IGatewayObserver>(gateway);
        await user.ReportSockets(new SocketReport("gw", reference, 1, 1, LongLease));
        var other = Unique.Name("other");

        await user.JoinGroup(other);
        var joined = await gateway.NextAsync();
        await user.LeaveGroup(other);
        var left = await gateway.NextAsync();

        Assert.Equal((userId, other, true), (joined.UserId, joined.Group, joined.IsMember));
        Assert.Equal((userId, other, false), (left.UserId, left.Group, left.IsMember));
    }

    [Fact]
    public async Task GroupRebuildsOnlineViewAfterReactivation()
    {
        var (user, userId, group) = await MemberOfNewGroup();
        var reference = fixture.Client.CreateObjectReference<IGatewayObserver>(new RecordingGateway());
        await user.ReportSockets(new SocketReport("gw", reference, 1, 1, LongLease));
        var grain = fixture.Client.GetGrain<IGroupGrain>(group);

        await fixture.Cluster.DeactivateAsync(grain);

        Assert.True(Assert.Single(await grain.GetMembers(userId)).Online);
    }

    private async Task<(IUserGrain User, string UserId, string Group)> MemberOfNewGroup()
    {
        var username = Unique.Name("User");
        var userId = username.ToLowerInvariant();
        var user = fixture.Client.GetGrain<IUserGrain>(userId);
        await user.Register(username, "long enough password");
        var group = Unique.Name("grp");
        await user.JoinGroup(group);
        return (user, userId, group);
    }

    [Fact]
    public async Task Logout_EndsThatSessionOnly_GatewaysTold()
    {
        var (user, gateway) = await UserOnRecordingGatewayAsync();
        var leaving = await user.Login("long enough password");
        var staying = await user.Login("long enough password");

        await user.EndSession(SessionToken.SessionIdOf(leaving.Token)!.Value);

        Assert.Equal([SessionToken.SessionIdOf(leaving.Token)!.Value], await gateway.NextEndedSessionsAsync());
        await Assert.ThrowsAsync<ChatException>(() => user.Authenticate(leaving.Token));
        await user.Authenticate(staying.Token);
    }

    [Fact]
    public async Task PasswordChange_EndsEveryOlderSession_GatewaysTold()
    {
        var (user, gateway) = await UserOnRecordingGatewayAsync();
        var first = await user.Login("long enough password");
        var second = await user.Login("long enough password");

        var wrong = await Assert.ThrowsAsync<ChatException>(() => user.ChangePassword("not the password", "a new password"));
        var changed = await user.ChangePassword("long enough password", "a new password");

        Assert.Equal(ChatErrorCode.Unauthorized, wrong.Code);
        Assert.Equal(
            new[] { first.Token, second.Token }.Select(token => SessionToken.SessionIdOf(token)!.Value).Order(),
            (await gateway.NextEndedSessionsAsync()).Order());
        await Assert.ThrowsAsync<ChatException>(() => user.Authenticate(first.Token));
        await user.Authenticate(changed.Token);
        await Assert.ThrowsAsync<ChatException>(() => user.Login("long enough password"));
        await user.Login("a new password");
    }

    /// <summary>A registered member whose socket a recording gateway holds, so the user grain tells that gateway what changes.</summary>
    private async Task<(IUserGrain User, RecordingGateway Gateway)> UserOnRecordingGatewayAsync()
    {
        var (user, _, _) = await MemberOfNewGroup();
        var gateway = new RecordingGateway();
        await user.ReportSockets(new SocketReport("gw", fixture.Client.CreateObjectReference<IGatewayObserver>(gateway), 1, 1, LongLease));
        return (user, gateway);
    }
}
