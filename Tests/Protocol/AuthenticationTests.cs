using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using OrleansChat.Tests.Infrastructure;

namespace OrleansChat.Tests.Protocol;

[Collection(GatewayCollection.Name)]
public sealed class AuthenticationTests(GatewayFixture fixture)
{
    [Fact]
    public async Task LoginOnSocket_TokenAuthenticatesAnotherSocket()
    {
        var username = await fixture.Host.RegisterAsync();
        await using var first = await fixture.Host.ConnectAsync();
        var login = await first.OkAsync(new { type = "login", username, password = Chatters.Password });
        Assert.Matches(HttpEndpointTests.TimestampFormat(), login.Str("expiresAt"));

        await using var second = await fixture.Host.ConnectAsync();
        var auth = await second.OkAsync(new { type = "auth", token = login.Str("token") });

        Assert.Equal(username, auth.Str("username"));
        Assert.Equal(login.Str("userId"), auth.Str("userId"));
        await second.OkAsync(new { type = "groups" });
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("nobody.AAAA")]
    [InlineData("")]
    public async Task AuthWithBadToken_Unauthorized(string token)
    {
        await using var socket = await fixture.Host.ConnectAsync();

        var reply = await socket.RequestAsync(new { type = "auth", token });

        Assert.Equal("unauthorized", reply.Str("code"));
    }

    [Fact]
    public async Task AuthWithForgedSecretForRealUser_Unauthorized()
    {
        var username = await fixture.Host.RegisterAsync();
        await using var socket = await fixture.Host.ConnectAsync();

        var reply = await socket.RequestAsync(new { type = "auth", token = $"{username.ToLowerInvariant()}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" });

        Assert.Equal("unauthorized", reply.Str("code"));
    }

    [Fact]
    public async Task LoginWrongPasswordOnSocket_UnauthorizedAndStillAnonymous()
    {
        var username = await fixture.Host.RegisterAsync();
        await using var socket = await fixture.Host.ConnectAsync();

        Assert.Equal("unauthorized", (await socket.RequestAsync(new { type = "login", username, password = "not the password" })).Str("code"));
        Assert.Equal("unauthorized", (await socket.RequestAsync(new { type = "groups" })).Str("code"));
    }

    [Fact]
    public async Task LoginAgainAsSameUser_Ok_AsAnotherUser_Conflict()
    {
        var (socket, username) = await fixture.Host.LoggedInAsync();
        await using var _s = socket;
        var other = await fixture.Host.RegisterAsync();

        await socket.OkAsync(new { type = "login", username = username.ToUpperInvariant(), password = Chatters.Password });
        var conflict = await socket.RequestAsync(new { type = "login", username = other, password = Chatters.Password });

        Assert.Equal("conflict", conflict.Str("code"));
    }

    [Fact]
    public async Task AuthAgainAsAnotherUser_Conflict()
    {
        var (socket, _) = await fixture.Host.LoggedInAsync();
        await using var _s = socket;
        var (otherSocket, other) = await fixture.Host.LoggedInAsync();
        await using var _o = otherSocket;
        var otherToken = (await otherSocket.OkAsync(new { type = "login", username = other, password = Chatters.Password })).Str("token");

        var reply = await socket.RequestAsync(new { type = "auth", token = otherToken });

        Assert.Equal("conflict", reply.Str("code"));
    }

    [Fact]
    public async Task RegisterTakenNameOnSocket_Conflict()
    {
        var username = await fixture.Host.RegisterAsync();
        await using var socket = await fixture.Host.ConnectAsync();

        var reply = await socket.RequestAsync(new { type = "register", username, password = Chatters.Password });

        Assert.Equal("conflict", reply.Str("code"));
    }

    [Theory]
    [InlineData("upper")]
    [InlineData("fullwidth")]
    [InlineData("decomposed")]
    public async Task LookAlikeOfATakenName_Conflict_AndLogsIntoTheSameAccount(string lookAlike)
    {
        var username = await fixture.Host.RegisterAsync(Unique.Name("José"));
        var variant = lookAlike switch
        {
            "upper" => username.ToUpperInvariant(),
            "fullwidth" => string.Concat(username.Select(c => c is >= 'a' and <= 'z' ? (char)(c - 'a' + 'ａ') : c)),
            _ => username.Normalize(System.Text.NormalizationForm.FormD),
        };
        await using var socket = await fixture.Host.ConnectAsync();

        var register = await socket.RequestAsync(new { type = "register", username = variant, password = Chatters.Password });
        var login = await socket.OkAsync(new { type = "login", username = variant, password = Chatters.Password });

        Assert.Equal("conflict", register.Str("code"));
        Assert.Equal(username, login.Str("username"));
    }

    [Fact]
    public async Task NoAuthenticationWithinDeadline_Closes1008()
    {
        await using var host = await GatewayHost.StartAsync(("Gateway:AuthenticationTimeout", "00:00:00.300"));
        await using var socket = await host.ConnectAsync();

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await socket.ClosedAsync());
    }

    [Fact]
    public async Task AuthenticatedBeforeDeadline_StaysOpen()
    {
        await using var host = await GatewayHost.StartAsync(("Gateway:AuthenticationTimeout", "00:00:01"));
        // The token comes over HTTP, outside the socket's deadline: a password hash on a busy machine can
        // take longer than a short deadline, and the `auth` that follows is quick.
        var username = await host.RegisterAsync();
        var login = await host.Http.PostAsJsonAsync("/api/login", new { username, password = Chatters.Password });
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).Str("token");
        await using var socket = await host.ConnectAsync();
        await socket.OkAsync(new { type = "auth", token });

        // The deadline has passed once the server has answered a request sent after it.
        await Task.Delay(TimeSpan.FromMilliseconds(1200));
        Assert.Equal("pong", (await socket.RequestAsync(new { type = "ping" })).Type());
        Assert.Equal(WebSocketState.Open, socket.State);
    }

    [Fact]
    public async Task ExpiredToken_RefusedButLoggedInSocketKeepsWorking()
    {
        await using var host = await GatewayHost.StartAsync(("Chat:TokenLifetime", "00:00:00"));
        var username = await host.RegisterAsync();
        await using var socket = await host.ConnectAsync();
        var token = (await socket.OkAsync(new { type = "login", username, password = Chatters.Password })).Str("token");

        await using var other = await host.ConnectAsync();
        Assert.Equal("unauthorized", (await other.RequestAsync(new { type = "auth", token })).Str("code"));
        await socket.OkAsync(new { type = "groups" });
    }
}
