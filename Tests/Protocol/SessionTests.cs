using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using OrleansChat.Tests.Infrastructure;

namespace OrleansChat.Tests.Protocol;

/// <summary>Ending sessions: logout over the socket and over HTTP, and a password change ending every older session.</summary>
[Collection(GatewayCollection.Name)]
public sealed class SessionTests(GatewayFixture fixture)
{
    private const string NewPassword = "a brand new password";

    private GatewayHost Host => fixture.Host;

    [Fact]
    public async Task Logout_OkThenClosed1000_SocketsOfThatSessionClosed_OthersStay()
    {
        var (leaving, username) = await Host.LoggedInAsync();
        await using var _l = leaving;
        var token = (await leaving.OkAsync(new { type = "login", username, password = Chatters.Password })).Str("token");
        await using var sameSession = await Host.ConnectAsync();
        await sameSession.OkAsync(new { type = "auth", token });
        var (otherSession, _) = await Host.LoggedInAsync(username);
        await using var _o = otherSession;

        await leaving.OkAsync(new { type = "logout" });

        Assert.Equal(WebSocketCloseStatus.NormalClosure, await leaving.ClosedAsync());
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await sameSession.ClosedAsync());
        Assert.Equal("pong", (await otherSession.RequestAsync(new { type = "ping" })).Type());
        Assert.Equal("unauthorized", (await AuthAsync(token)).Str("code"));
    }

    [Fact]
    public async Task PasswordChange_EndsOlderSessions_ThisSocketGoesOnWithTheNewToken()
    {
        var (changing, username) = await Host.LoggedInAsync();
        await using var _c = changing;
        var (elsewhere, _) = await Host.LoggedInAsync(username);
        await using var _e = elsewhere;
        var oldToken = await LoginOverHttpAsync(username, Chatters.Password);

        var reply = await changing.OkAsync(new { type = "change_password", password = Chatters.Password, newPassword = NewPassword });

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await elsewhere.ClosedAsync());
        Assert.Equal("ok", (await changing.RequestAsync(new { type = "groups" })).Type());
        Assert.Equal("unauthorized", (await AuthAsync(oldToken)).Str("code"));
        Assert.Equal("ok", (await AuthAsync(reply.Str("token"))).Type());
        var oldLogin = await Host.Http.PostAsJsonAsync("/api/login", new { username, password = Chatters.Password });
        Assert.Equal(HttpStatusCode.Unauthorized, oldLogin.StatusCode);
    }

    [Fact]
    public async Task ChangePasswordWithTheWrongOne_Unauthorized_NothingChanges()
    {
        var (socket, username) = await Host.LoggedInAsync();
        await using var _s = socket;

        var refused = await socket.RequestAsync(new { type = "change_password", password = "not the password", newPassword = NewPassword });

        Assert.Equal("unauthorized", refused.Str("code"));
        await Host.LoggedInAsync(username);
    }

    [Fact]
    public async Task HttpLogoutAndPasswordChange_EndTheirSessions()
    {
        var username = await Host.RegisterAsync();
        var first = await LoginOverHttpAsync(username, Chatters.Password);

        using var logout = new HttpRequestMessage(HttpMethod.Post, "/api/logout") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", first) } };
        Assert.Equal(HttpStatusCode.NoContent, (await Host.Http.SendAsync(logout)).StatusCode);
        Assert.Equal("unauthorized", (await AuthAsync(first)).Str("code"));

        var second = await LoginOverHttpAsync(username, Chatters.Password);
        var changed = await Host.Http.PostAsJsonAsync("/api/password", new { username, password = Chatters.Password, newPassword = NewPassword });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal("unauthorized", (await AuthAsync(second)).Str("code"));
        Assert.Equal("ok", (await AuthAsync((await changed.Content.ReadFromJsonAsync<JsonElement>()).Str("token"))).Type());

        using var badLogout = new HttpRequestMessage(HttpMethod.Post, "/api/logout") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", first) } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await Host.Http.SendAsync(badLogout)).StatusCode);
    }

    private async Task<string> LoginOverHttpAsync(string username, string password)
    {
        var response = await Host.Http.PostAsJsonAsync("/api/login", new { username, password });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).Str("token");
    }

    private async Task<JsonElement> AuthAsync(string token)
    {
        await using var socket = await Host.ConnectAsync();
        return await socket.RequestAsync(new { type = "auth", token });
    }
}
