using System.Net;
using System.Net.Http.Json;
using OrleansChat.Tests.Infrastructure;

namespace OrleansChat.Tests.Protocol;

/// <summary>The abuse limits of the Limits configuration section, each answered with rate_limited.</summary>
public sealed class AbuseLimitsTests
{
    private const string RateLimitedMetric = "orleanschat.requests.rate_limited";

    [Fact]
    public async Task PublishesPastTheSocketsBudget_RateLimited_AndCounted()
    {
        await using var host = await GatewayHost.StartAsync(("Limits:PublishesPerSecond", "0"), ("Limits:PublishBurst", "3"));
        using var metrics = new MetricRecorder(host);
        await using var room = await ChatRoom.OpenAsync(host, 1);
        var (socket, _) = room[0];

        for (var i = 0; i < 3; i++)
        {
            await socket.PublishAsync(room.Group, $"m{i}");
        }

        var refused = await socket.RequestAsync(new { type = "publish", group = room.Group, text = "one too many" });
        var other = await socket.RequestAsync(new { type = "members", group = room.Group });

        Assert.Equal(("rate_limited", "too many messages; slow down"), (refused.Str("code"), refused.Str("message")));
        Assert.Equal("ok", other.Type());
        Assert.Equal(1, metrics.Sum(RateLimitedMetric, "orleanschat.limit=publishes"));
    }

    [Fact]
    public async Task DirectMessages_TakeThePublishBudget()
    {
        await using var host = await GatewayHost.StartAsync(("Limits:PublishesPerSecond", "0"), ("Limits:PublishBurst", "3"));
        await using var room = await ChatRoom.OpenAsync(host, 1);
        var (socket, _) = room[0];
        var bob = await host.RegisterAsync();

        await socket.PublishAsync(room.Group, "in the group");
        await socket.OkAsync(new { type = "direct", to = bob, text = "one" });
        await socket.OkAsync(new { type = "direct", to = bob, text = "two" });
        var refused = await socket.RequestAsync(new { type = "direct", to = bob, text = "one too many" });

        Assert.Equal(("rate_limited", "too many messages; slow down"), (refused.Str("code"), refused.Str("message")));
    }

    [Fact]
    public async Task ReadMarkersPastTheUsersBudget_RateLimited_AndCounted()
    {
        await using var host = await GatewayHost.StartAsync(("Limits:ReadMarkersPerSecond", "0"), ("Limits:ReadMarkerBurst", "2"));
        using var metrics = new MetricRecorder(host);
        await using var room = await ChatRoom.OpenAsync(host, 1);
        var (socket, _) = room[0];
        await socket.PublishAsync(room.Group, "m");

        await socket.OkAsync(new { type = "read", group = room.Group, seq = 1 });
        await socket.OkAsync(new { type = "read", group = room.Group, seq = 1 });
        var refused = await socket.RequestAsync(new { type = "read", group = room.Group, seq = 1 });

        Assert.Equal(("rate_limited", "too many read markers; slow down"), (refused.Str("code"), refused.Str("message")));
        Assert.Equal(1, metrics.Sum(RateLimitedMetric, "orleanschat.limit=read_markers"));
    }

    [Fact]
    public async Task PublishesOfOneUser_CountedOverAllItsSockets()
    {
        await using var host = await GatewayHost.StartAsync(("Limits:PublishesPerSecond", "0"), ("Limits:PublishBurst", "3"));
        await using var room = await ChatRoom.OpenAsync(host, 1);
        var (first, username) = room[0];
        var (second, _) = await host.LoggedInAsync(username);
        await using var _s = second;

        await first.PublishAsync(room.Group, "a");
        await first.PublishAsync(room.Group, "b");
        await second.PublishAsync(room.Group, "c");
        var refused = await second.RequestAsync(new { type = "publish", group = room.Group, text = "d" });

        Assert.Equal("rate_limited", refused.Str("code"));
    }

    [Fact]
    public async Task TypingPastItsBudget_RateLimited_EvenWithoutAnId()
    {
        await using var host = await GatewayHost.StartAsync(("Limits:TypingPerSecond", "0"), ("Limits:TypingBurst", "1"));
        using var metrics = new MetricRecorder(host);
        await using var room = await ChatRoom.OpenAsync(host, 1);
        var (socket, _) = room[0];

        await socket.SendTextAsync($$"""{"type":"typing","group":"{{room.Group}}"}""");
        await socket.SendTextAsync($$"""{"type":"typing","group":"{{room.Group}}"}""");

        var error = await socket.NextEventAsync("error");
        Assert.Equal(("rate_limited", "too many typing notices; slow down"), (error.Str("code"), error.Str("message")));
        Assert.Equal(1, metrics.Sum(RateLimitedMetric, "orleanschat.limit=typing"));
    }

    [Fact]
    public async Task JoinsAndLeavesPastTheUsersBudget_RateLimited_AndCounted()
    {
        await using var host = await GatewayHost.StartAsync(("Limits:MembershipChangesPerSecond", "0"), ("Limits:MembershipChangeBurst", "3"));
        using var metrics = new MetricRecorder(host);
        var (socket, _) = await host.LoggedInAsync();
        await using var _s = socket;
        var group = Unique.Name("g");

        await socket.JoinAsync(group);
        await socket.OkAsync(new { type = "leave", group });
        await socket.JoinAsync(group);
        var refused = await socket.RequestAsync(new { type = "leave", group });
        var stillMember = await socket.RequestAsync(new { type = "members", group });

        Assert.Equal(("rate_limited", "too many joins and leaves; slow down"), (refused.Str("code"), refused.Str("message")));
        Assert.Equal("ok", stillMember.Type());
        Assert.Equal(1, metrics.Sum(RateLimitedMetric, "orleanschat.limit=membership_changes"));
    }

    [Fact]
    public async Task SignInsOfOneUserPastTheBudget_RateLimited_TheSocketStaysAnonymous()
    {
        await using var host = await GatewayHost.StartAsync(("Limits:SignInsPerSecond", "0"), ("Limits:SignInBurst", "2"));
        using var metrics = new MetricRecorder(host);
        var (first, username) = await host.LoggedInAsync();
        await using var _f = first;
        var token = (await first.OkAsync(new { type = "login", username, password = Chatters.Password })).Str("token");
        await using var second = await host.ConnectAsync();
        await second.OkAsync(new { type = "auth", token });
        await using var third = await host.ConnectAsync();

        var refusedAuth = await third.RequestAsync(new { type = "auth", token });
        var refusedLogin = await third.RequestAsync(new { type = "login", username, password = Chatters.Password });
        var stillAnonymous = await third.RequestAsync(new { type = "groups" });

        Assert.Equal(("rate_limited", "too many sign-ins for this user; slow down"), (refusedAuth.Str("code"), refusedAuth.Str("message")));
        Assert.Equal("rate_limited", refusedLogin.Str("code"));
        Assert.Equal("unauthorized", stillAnonymous.Str("code"));
        Assert.Equal(2, metrics.Sum(RateLimitedMetric, "orleanschat.limit=sign_ins"));
        // The refused login made no session: only the two logins that got through did.
        Assert.Equal(2, (await StoredAccounts.ReadAsync(host.Services, username)).Sessions.Count);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task BehindATrustedProxy_EachForwardedClientHasItsOwnAttempts_OtherwiseTheHeaderIsIgnored(bool trusted)
    {
        (string, string)[] settings = [("Limits:AccountAttemptsPerSecond", "0"), ("Limits:AccountAttemptBurst", "1")];
        await using var host = await GatewayHost.StartAsync(trusted ? [.. settings, ("Gateway:TrustedProxyNetworks:0", "127.0.0.0/8")] : settings);

        var first = await LoginFromAsync(host, "203.0.113.1");
        var again = await LoginFromAsync(host, "203.0.113.1");
        var other = await LoginFromAsync(host, "203.0.113.2");

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests), (first, again));
        Assert.Equal(trusted ? HttpStatusCode.Unauthorized : HttpStatusCode.TooManyRequests, other);
    }

    [Fact]
    public async Task LimitsDisabled_NoneApplies()
    {
        await using var host = await GatewayHost.StartAsync(
            ("Limits:Enabled", "false"), ("Limits:PublishesPerSecond", "0"), ("Limits:PublishBurst", "1"),
            ("Limits:RequestsPerSecond", "0"), ("Limits:RequestBurst", "1"), ("Limits:SocketsPerUser", "1"));
        await using var room = await ChatRoom.OpenAsync(host, 1);
        var (socket, username) = room[0];
        var (second, _) = await host.LoggedInAsync(username);
        await using var _s = second;

        for (var i = 0; i < 5; i++)
        {
            await socket.PublishAsync(room.Group, $"m{i}");
        }
    }

    [Fact]
    public async Task SocketsPerUser_OneMoreRefused_AClosedOneMakesRoom()
    {
        await using var host = await GatewayHost.StartAsync(("Limits:SocketsPerUser", "2"));
        var (first, username) = await host.LoggedInAsync();
        var (second, _) = await host.LoggedInAsync(username);
        await using var _s = second;
        await using var third = await host.ConnectAsync();

        var refused = await third.RequestAsync(new { type = "login", username, password = Chatters.Password });
        await first.DisposeAsync();

        Assert.Equal(("rate_limited", "a user may have at most 2 sockets open on one server"), (refused.Str("code"), refused.Str("message")));
        await Eventually.TrueAsync(
            async () => (await third.RequestAsync(new { type = "login", username, password = Chatters.Password })).Type() == "ok",
            "a closed socket makes room");
    }

    [Fact]
    public async Task MembersPerGroupAndGroupsPerUser_OneMoreJoinRefused()
    {
        await using var host = await GatewayHost.StartAsync(("Limits:MembersPerGroup", "2"), ("Limits:GroupsPerUser", "2"));
        await using var room = await ChatRoom.OpenAsync(host, 2);
        var (outsider, _) = await host.LoggedInAsync();
        await using var _o = outsider;
        var (member, _) = room[0];

        var groupFull = await outsider.RequestAsync(new { type = "join", group = room.Group });
        await member.JoinAsync(Unique.Name("g"));
        var tooManyGroups = await member.RequestAsync(new { type = "join", group = Unique.Name("g") });

        Assert.Equal(("rate_limited", "a group may have at most 2 members"), (groupFull.Str("code"), groupFull.Str("message")));
        Assert.Equal(("rate_limited", "a user may belong to at most 2 groups"), (tooManyGroups.Str("code"), tooManyGroups.Str("message")));
    }

    [Fact]
    public async Task FailedLoginsFromOneAddress_BackOff_ForOtherUsernamesToo()
    {
        await using var host = await GatewayHost.StartAsync(("Limits:FreeLoginFailures", "2"), ("Limits:LoginBackoff", "00:10:00"));
        using var metrics = new MetricRecorder(host);
        var victim = await host.RegisterAsync();
        await using var socket = await host.ConnectAsync();

        for (var i = 0; i < 3; i++)
        {
            var wrong = await socket.RequestAsync(new { type = "login", username = Unique.Name(), password = "wrong password" });
            Assert.Equal("unauthorized", wrong.Str("code"));
        }

        var refused = await socket.RequestAsync(new { type = "login", username = victim, password = Chatters.Password });
        var refusedOverHttp = await host.Http.PostAsJsonAsync("/api/login", new { username = victim, password = Chatters.Password });

        Assert.Equal("rate_limited", refused.Str("code"));
        Assert.StartsWith("too many failed attempts; retry in ", refused.Str("message"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.TooManyRequests, refusedOverHttp.StatusCode);
        Assert.Equal(2, metrics.Sum(RateLimitedMetric, "orleanschat.limit=account_attempts"));
    }

    private static async Task<HttpStatusCode> LoginFromAsync(GatewayHost host, string clientAddress)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/login")
        {
            Content = JsonContent.Create(new { username = "nobody-here", password = Chatters.Password }),
            Headers = { { "X-Forwarded-For", clientAddress } },
        };
        using var response = await host.Http.SendAsync(request);
        return response.StatusCode;
    }
}
