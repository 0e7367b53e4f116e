using OrleansChat.Client;
using OrleansChat.Tests.Infrastructure;
using OrleansChat.Tests.Protocol;

namespace OrleansChat.Tests.Client;

[Collection(GatewayCollection.Name)]
public sealed class ChatClientTests(GatewayFixture fixture)
{
    private const string Password = "client password";

    [Fact]
    public async Task TypedCalls_RoundTrip()
    {
        await using var alice = await ChatClient.ConnectAsync(fixture.Host.HttpUri);
        await using var bob = await ChatClient.ConnectAsync(fixture.Host.HttpUri);
        var aliceName = Unique.Name("Alice");
        var bobName = Unique.Name("Bob");
        var group = Unique.Name("g");

        var account = await alice.RegisterAsync(aliceName, Password);
        await bob.RegisterAsync(bobName, Password);
        var login = await alice.LoginAsync(aliceName.ToLowerInvariant(), Password);
        await bob.LoginAsync(bobName, Password);
        var joined = await alice.JoinAsync(group);
        await bob.JoinAsync(group);
        var published = await alice.PublishAsync(group, "hi bob", "m-1");
        await bob.TypingAsync(group);
        await alice.PingAsync();

        Assert.Equal(new Account(aliceName.ToLowerInvariant(), aliceName), account);
        Assert.Equal(aliceName, login.Username);
        Assert.True(login.ExpiresAt > DateTimeOffset.UtcNow);
        Assert.Equal(0, joined.LastSeq);
        Assert.Equal(1, published.Seq);
        var received = await bob.NextEventAsync<MessageReceived>(timeout: ChatSocketTestExtensions.Timeout);
        Assert.Equal((group, 1L, aliceName, "hi bob", published.Ts, "m-1"), (received.Group, received.Seq, received.From, received.Text, received.Ts, received.ClientMsgId));
        Assert.Equal(bobName, (await alice.NextEventAsync<UserTyping>(timeout: ChatSocketTestExtensions.Timeout)).User);
        Assert.Equal([aliceName, bobName], (await alice.MembersAsync(group)).Select(m => m.Username).Order(StringComparer.OrdinalIgnoreCase));
        Assert.Equal([new GroupInfo(group, 1, ReadSeq: 0, Unread: 1)], await bob.GroupsAsync());
        Assert.Equal(1, await bob.MarkReadAsync(group, 1));
        Assert.Equal(new ReadMarked(group, null, 1), await bob.NextEventAsync<ReadMarked>(timeout: ChatSocketTestExtensions.Timeout));
        var history = await bob.HistoryAsync(group, after: 0);
        Assert.Equal("hi bob", Assert.Single(history.Messages).Text);
        Assert.False(history.More);
        await bob.LeaveAsync(group);
        Assert.Empty(await bob.GroupsAsync());
    }

    [Fact]
    public async Task DirectMessages_RoundTrip()
    {
        var (alice, aliceName) = await LoggedInAsync("Alice");
        var (bob, bobName) = await LoggedInAsync("Bob");
        await using var _a = alice;
        await using var _b = bob;

        var sent = await alice.DirectAsync(bobName.ToUpperInvariant(), "hi bob", "d-1");
        var received = await bob.NextEventAsync<DirectReceived>(timeout: ChatSocketTestExtensions.Timeout);
        var own = await alice.NextEventAsync<DirectReceived>(timeout: ChatSocketTestExtensions.Timeout);
        var history = await bob.DirectHistoryAsync(aliceName, after: 0);
        var blocked = await bob.BlockAsync(aliceName.ToLowerInvariant());
        var refused = await Assert.ThrowsAsync<ChatForbiddenException>(() => alice.DirectAsync(bobName, "blocked"));
        var conversations = await bob.ConversationsAsync();
        await bob.BlockAsync(aliceName, blocked: false);

        Assert.Equal((bobName, 1L), (sent.With, sent.Seq));
        Assert.Equal(new DirectReceived(aliceName, 1, aliceName, "hi bob", sent.Ts, "d-1"), received);
        Assert.Equal(new DirectReceived(bobName, 1, aliceName, "hi bob", sent.Ts, "d-1"), own);
        Assert.Equal((aliceName, false), (history.With, history.More));
        Assert.Equal(received, Assert.Single(history.Messages));
        Assert.Equal(aliceName, blocked);
        Assert.Contains(bobName, refused.Message);
        Assert.Equal([new ConversationInfo(aliceName, 1, Blocked: true, ReadSeq: 0, Unread: 1)], conversations);
        Assert.Equal(1, await bob.MarkDirectReadAsync(aliceName, 5));
        Assert.Equal(2, (await alice.DirectAsync(bobName, "unblocked")).Seq);
    }

    [Fact]
    public async Task MessageRequests_ShowAsSuch_UntilAnswered_AndForgetDropsThem()
    {
        var (alice, aliceName) = await LoggedInAsync("Alice");
        var (bob, bobName) = await LoggedInAsync("Bob");
        var (cat, catName) = await LoggedInAsync("Cat");
        await using var _a = alice;
        await using var _b = bob;
        await using var _c = cat;
        await alice.DirectAsync(bobName, "hi bob");
        await cat.DirectAsync(bobName, "hi from cat");
        await bob.DirectAsync(aliceName, "hi alice");

        var listed = await bob.ConversationsAsync();
        var forgot = await bob.ForgetAsync(catName.ToUpperInvariant());

        Assert.Equal(
            [(aliceName, false), (catName, true)],
            listed.Select(conversation => (conversation.With, conversation.Request)).OrderBy(entry => entry.With, StringComparer.Ordinal));
        Assert.Equal(catName, forgot);
        Assert.Equal([aliceName], (await bob.ConversationsAsync()).Select(conversation => conversation.With));
    }

    [Fact]
    public async Task PrivateGroupsAndRoles_RoundTrip()
    {
        var (alice, aliceName) = await LoggedInAsync("Alice");
        var (bob, bobName) = await LoggedInAsync("Bob");
        await using var _a = alice;
        await using var _b = bob;
        var group = Unique.Name("g");

        var created = await alice.CreateAsync(group, isPrivate: true);
        await Assert.ThrowsAsync<ChatForbiddenException>(() => bob.JoinAsync(group));
        var invited = await alice.ModerateAsync("invite", group, bobName.ToUpperInvariant());
        var invitation = await bob.NextEventAsync<InvitationReceived>(timeout: ChatSocketTestExtensions.Timeout);
        var joined = await bob.JoinAsync(group);
        await alice.ModerateAsync("promote", group, bobName);
        var promoted = await alice.NextEventAsync<MemberChanged>(change => change.Action == "promoted", ChatSocketTestExtensions.Timeout);
        await alice.ModerateAsync("kick", group, bobName);
        var kicked = await bob.NextEventAsync<MemberChanged>(change => change.Action == "kicked", ChatSocketTestExtensions.Timeout);
        await alice.DeleteGroupAsync(group);

        Assert.Equal(("owner", "private"), (created.Role, created.Visibility));
        Assert.Equal("owner", Assert.Single(created.Members).Role);
        Assert.Equal(bobName, invited);
        Assert.Equal(new InvitationReceived(group, aliceName), invitation);
        Assert.Equal(("member", "private"), (joined.Role, joined.Visibility));
        Assert.Equal(new MemberChanged(group, bobName, "promoted", aliceName, "admin"), promoted);
        Assert.Equal(new MemberChanged(group, bobName, "kicked", aliceName, "member"), kicked);
        Assert.Empty(await bob.GroupsAsync());
        Assert.Empty(await alice.GroupsAsync());
    }

    [Fact]
    public async Task EditAndDelete_RoundTrip()
    {
        var (alice, _) = await LoggedInAsync("Alice");
        var (bob, bobName) = await LoggedInAsync("Bob");
        await using var _a = alice;
        await using var _b = bob;
        var group = Unique.Name("g");
        await alice.JoinAsync(group);
        await bob.JoinAsync(group);
        await alice.PublishAsync(group, "first");
        await alice.PublishAsync(group, "second");

        await alice.EditAsync(group, 1, "first, edited");
        var edited = await bob.NextEventAsync<MessageChanged>(timeout: ChatSocketTestExtensions.Timeout);
        await alice.DeleteAsync(group, 2);
        var deleted = await bob.NextEventAsync<MessageChanged>(timeout: ChatSocketTestExtensions.Timeout);
        await alice.DirectAsync(bobName, "dm");
        await alice.EditDirectAsync(bobName, 1, "dm, edited");
        var directEdit = await bob.NextEventAsync<MessageChanged>(change => change.With is not null, ChatSocketTestExtensions.Timeout);
        var history = await bob.HistoryAsync(group, after: 0);
        var directHistory = await bob.DirectHistoryAsync(directEdit.With!, after: 0);

        Assert.Equal(new MessageChanged(group, null, 1, "first, edited", Deleted: false, By: null, Rev: 1), edited);
        Assert.Equal((group, 2L, true, 2L), (deleted.Group, deleted.Seq, deleted.Deleted, deleted.Rev));
        Assert.Equal(("dm, edited", 1L), (directEdit.Text, directEdit.Rev));
        Assert.Equal(("dm, edited", true), (Assert.Single(directHistory.Messages).Text, directHistory.Messages[0].Edited));
        Assert.Equal([(1L, "first, edited", true, false), (2L, "", false, true)], history.Messages.Select(m => (m.Seq, m.Text, m.Edited, m.Deleted)));
    }

    [Fact]
    public async Task ErrorCodes_BecomeTheirOwnExceptions()
    {
        await using var client = await ChatClient.ConnectAsync(fixture.Host.HttpUri);
        var username = Unique.Name();

        await Assert.ThrowsAsync<ChatUnauthorizedException>(() => client.GroupsAsync());
        await Assert.ThrowsAsync<ChatBadRequestException>(() => client.RegisterAsync("x", Password));
        await client.RegisterAsync(username, Password);
        await Assert.ThrowsAsync<ChatConflictException>(() => client.RegisterAsync(username, Password));
        await Assert.ThrowsAsync<ChatUnauthorizedException>(() => client.LoginAsync(username, "wrong password"));
        await client.LoginAsync(username, Password);
        await Assert.ThrowsAsync<ChatNotFoundException>(() => client.MembersAsync(Unique.Name("nowhere")));
        await Assert.ThrowsAsync<ChatTooLargeException>(async () =>
        {
            var group = Unique.Name("g");
            await client.JoinAsync(group);
            await client.PublishAsync(group, new string('x', 4001));
        });

        await using var owner = await fixture.Host.LoggedInAsync().ContinueWith(t => t.Result.Socket);
        var privateGroup = Unique.Name("private");
        await owner.JoinAsync(privateGroup);
        var forbidden = await Assert.ThrowsAsync<ChatForbiddenException>(() => client.HistoryAsync(privateGroup));
        Assert.Equal("forbidden", forbidden.Code);
    }

    [Fact]
    public async Task ServerAddress_AcceptedAsHttpOrWebSocketUrl()
    {
        await using var viaHttp = await ChatSocket.ConnectAsync(fixture.Host.HttpUri);
        await using var viaWs = await ChatSocket.ConnectAsync(fixture.Host.WebSocketUri);

        Assert.Equal("pong", (await viaHttp.RequestAsync(new { type = "ping" })).GetProperty("type").GetString());
        Assert.Equal("pong", (await viaWs.RequestAsync(new { type = "ping" })).GetProperty("type").GetString());
    }

    /// <summary>A client registered and logged in as a fresh user whose name starts with <paramref name="prefix"/>.</summary>
    private async Task<(ChatClient Client, string Username)> LoggedInAsync(string prefix)
    {
        var client = await ChatClient.ConnectAsync(fixture.Host.HttpUri);
        var username = Unique.Name(prefix);
        await client.RegisterAsync(username, Password);
        await client.LoginAsync(username, Password);
        return (client, username);
    }
}
