using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using OrleansChat.Conversations;
using OrleansChat.Direct;
using OrleansChat.Errors;
using OrleansChat.Groups;
using OrleansChat.Presence;
using OrleansChat.Tests.Infrastructure;
using OrleansChat.Users;

namespace OrleansChat.Tests.Grains;

/// <summary>Read markers, kept by the user grain: monotonic, clamped, checked against the conversation's own grain.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ReadMarkerGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Joining_MarksWhatWasThereRead_LaterMessagesCountAsUnread()
    {
        var (ann, bob) = (await RegisterAsync("Ann"), await RegisterAsync("Bob"));
        var group = Unique.Name("g");
        await User(ann).JoinGroup(group);
        await PublishAsync(ann, group, 3);

        await User(bob).JoinGroup(group);
        var atJoin = Assert.Single(await User(bob).GetGroups());
        await PublishAsync(ann, group, 2);

        Assert.Equal(new GroupSummary(group, 3, ReadSeq: 3), atJoin);
        var later = Assert.Single(await User(bob).GetGroups());
        Assert.Equal((5, 3, 2), (later.LastSeq, later.ReadSeq, later.Unread));
        Assert.Equal(5, Assert.Single(await User(ann).GetGroups()).Unread);
    }

    [Fact]
    public async Task MarkRead_NeverMovesBack_AndStopsAtTheNewestSeq()
    {
        var ann = await RegisterAsync("Ann");
        var group = Unique.Name("g");
        await User(ann).JoinGroup(group);
        await PublishAsync(ann, group, 5);

        var marked = await User(ann).MarkRead(group, 4);
        var lower = await User(ann).MarkRead(group, 2);
        var beyond = await User(ann).MarkRead(group, 1_000);

        Assert.Equal(new ReadMarker(group, null, 4), marked);
        Assert.Equal(4, lower.Seq);
        Assert.Equal(5, beyond.Seq);
        Assert.Equal(0, Assert.Single(await User(ann).GetGroups()).Unread);
    }

    [Fact]
    public async Task MarkRead_OnlyWhatTheUserMayRead()
    {
        var (ann, bob) = (await RegisterAsync("Ann"), await RegisterAsync("Bob"));
        var group = Unique.Name("g");
        await User(ann).JoinGroup(group);

        var notMember = await Assert.ThrowsAsync<ChatException>(() => User(bob).MarkRead(group, 1));
        var noGroup = await Assert.ThrowsAsync<ChatException>(() => User(bob).MarkRead(Unique.Name("none"), 1));
        var noConversation = await Assert.ThrowsAsync<ChatException>(() => User(bob).MarkRead(DirectKey(ann, bob), 1));

        Assert.Equal((ChatErrorCode.Forbidden, ChatErrorCode.NotFound, ChatErrorCode.NotFound), (notMember.Code, noGroup.Code, noConversation.Code));
    }

    [Fact]
    public async Task DirectConversation_UnreadUntilMarked_AndTheMarkerNamesTheOtherUser()
    {
        var (ann, bob) = (await RegisterAsync("Ann"), await RegisterAsync("Bob"));
        var direct = fixture.Client.GetGrain<IDirectGrain>(DirectKey(ann, bob));
        await direct.Send(ann.UserId, "one", null);
        await direct.Send(ann.UserId, "two", null);

        var before = Assert.Single(await User(bob).GetConversations());
        var marker = await User(bob).MarkRead(DirectKey(ann, bob), 2);
        var after = Assert.Single(await User(bob).GetConversations());

        Assert.Equal((2, 0, 2), (before.LastSeq, before.ReadSeq, before.Unread));
        Assert.Equal(new ReadMarker(null, ann.Username, 2), marker);
        Assert.Equal(0, after.Unread);
    }

    [Fact]
    public async Task OnlyAMarkerThatMoves_IsToldToTheUsersGateways()
    {
        var ann = await RegisterAsync("Ann");
        var group = Unique.Name("g");
        await User(ann).JoinGroup(group);
        await PublishAsync(ann, group, 3);
        var gateway = new RecordingGateway();
        await User(ann).ReportSockets(new SocketReport("gw", fixture.Client.CreateObjectReference<IGatewayObserver>(gateway), 1, 1, TimeSpan.FromMinutes(5)));

        await User(ann).MarkRead(group, 2);
        await User(ann).MarkRead(group, 1);
        await User(ann).MarkRead(group, 3);

        // One-way calls may arrive in either order (clients keep the highest); the marker that did not move is not sent.
        var told = new[] { await gateway.NextReadMarkerAsync(), await gateway.NextReadMarkerAsync() };
        Assert.Equal([(ann.UserId, new ReadMarker(group, null, 2)), (ann.UserId, new ReadMarker(group, null, 3))], told.OrderBy(entry => entry.Marker.Seq));
    }

    /// <summary>Memberships stored before read markers existed: what was there then is not shown as unread.</summary>
    [Fact]
    public async Task MembershipWithoutAMarker_CountsAsReadUpToTheNewestSeq()
    {
        var ann = await RegisterAsync("Ann");
        var group = Unique.Name("g");
        await User(ann).JoinGroup(group);
        await PublishAsync(ann, group, 4);
        await ForgetReadMarkersAsync(ann);

        var summary = Assert.Single(await User(ann).GetGroups());
        await PublishAsync(ann, group, 1);

        Assert.Equal(new GroupSummary(group, 4, ReadSeq: 4), summary);
        Assert.Equal(1, Assert.Single(await User(ann).GetGroups()).Unread);
    }

    /// <summary>Empties the user's stored read markers, as an account from before them has none, and reloads the grain.</summary>
    private async Task ForgetReadMarkersAsync(UserIdentity user)
    {
        var grain = User(user);
        await fixture.Cluster.DeactivateAsync(grain);
        var storage = fixture.Cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(StorageNames.Chat);
        var state = new GrainState<UserReadsState>(new UserReadsState());
        await storage.ReadStateAsync("reads", grain.GetGrainId(), state);
        state.State = new UserReadsState();
        await storage.WriteStateAsync("reads", grain.GetGrainId(), state);
    }

    private async Task PublishAsync(UserIdentity user, string group, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await fixture.Client.GetGrain<IGroupGrain>(group).Publish(user.UserId, $"m{i}", null);
        }
    }

    private IUserGrain User(UserIdentity user) => fixture.User(user);

    private Task<UserIdentity> RegisterAsync(string prefix) => fixture.RegisterAsync(prefix);

    private static string DirectKey(UserIdentity one, UserIdentity other) => ConversationKey.Between(one.UserId, other.UserId).ToGrainKey();
}
