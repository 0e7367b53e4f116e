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
        Assert.Equal([new GroupInfo(group, 1)], await bob.GroupsAsync());
        var history = await bob.HistoryAsync(group, after: 0);
        Assert.Equal("hi bob", Assert.Single(history.Messages).Text);
        Assert.False(history.More);
        await bob.LeaveAsync(group);
        Assert.Empty(await bob.GroupsAsync());
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
}
