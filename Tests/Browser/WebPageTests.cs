using Microsoft.Playwright;
using OrleansChat.Client;
using OrleansChat.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OrleansChat.Tests.Browser;

/// <summary>The chat page in real headless Chromium, two users in two browser contexts.</summary>
[Collection(BrowserCollection.Name)]
public sealed class WebPageTests : IAsyncLifetime
{
    private readonly BrowserFixture _fixture;
    private readonly string _group = Unique.Name("room");
    private readonly string _aliceName = Unique.Name("alice");
    private readonly string _bobName = Unique.Name("bob");
    private ChatPage _alice = null!;
    private ChatPage _bob = null!;

    public WebPageTests(BrowserFixture fixture)
    {
        _fixture = fixture;
        SetDefaultExpectTimeout(15_000);
    }

    public async Task InitializeAsync()
    {
        _alice = await ChatPage.OpenAsync(_fixture);
        _bob = await ChatPage.OpenAsync(_fixture);
        await _alice.RegisterAsync(_aliceName);
        await _bob.RegisterAsync(_bobName);
        await _alice.JoinAsync(_group);
        await _bob.JoinAsync(_group);
    }

    public async Task DisposeAsync()
    {
        await _alice.DisposeAsync();
        await _bob.DisposeAsync();
    }

    [Fact]
    public async Task TwoUsers_ChatBothWays()
    {
        await _alice.SendAsync("hi bob");
        await Expect(_bob.Message("hi bob")).ToHaveCountAsync(1);
        await _bob.SendAsync("hi alice");
        await Expect(_alice.Message("hi alice")).ToHaveCountAsync(1);

        await Expect(_alice.Message("hi bob")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bown\b"));
        await Expect(_alice.Message("hi alice")).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bown\b"));
        await Expect(_alice.Message("hi alice").Locator("time")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d\d:\d\d$"));
        await _alice.Page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ArtifactDirectory, "chat.png") });
        await _alice.Page.SetViewportSizeAsync(390, 844);
        await _alice.Page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ArtifactDirectory, "chat-phone.png") });
        Assert.False(await _alice.Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth"));
    }

    [Fact]
    public async Task DirectMessages_ReachTheOtherUser_SurviveAReload_AndBlockingStopsThem()
    {
        await _bob.OpenDirectAsync(_aliceName.ToUpperInvariant());
        await Expect(_bob.Page.Locator("#group-title")).ToHaveTextAsync($"@{_aliceName}");
        await _bob.SendAsync("psst alice");
        await Expect(_alice.Conversation($"@{_bobName}").Locator(".unread")).ToHaveTextAsync("1");
        await _alice.Conversation($"@{_bobName}").ClickAsync();
        await Expect(_alice.Message("psst alice")).ToHaveCountAsync(1);
        await _alice.SendAsync("hi bob, privately");
        await Expect(_bob.Message("hi bob, privately")).ToHaveCountAsync(1);

        await _alice.Page.ReloadAsync();
        await Expect(_alice.Conversation($"@{_bobName}")).ToBeVisibleAsync();
        await Expect(_alice.Message("psst alice")).ToHaveCountAsync(1);
        await _alice.Page.GetByRole(AriaRole.Button, new() { Name = "Block", Exact = true }).ClickAsync();
        await Expect(_alice.Page.GetByRole(AriaRole.Button, new() { Name = "Unblock", Exact = true })).ToBeVisibleAsync();
        await _bob.SendAsync("are you there?");

        await Expect(_bob.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync($"{_aliceName} does not accept direct messages from you");
        await Expect(_alice.Message("are you there?")).ToHaveCountAsync(0);
        await Expect(_bob.Conversation(_group)).ToBeVisibleAsync();
    }

    [Fact]
    public async Task MessageRequest_MarkedUntilAnswered_ForgetTakesItOffTheList()
    {
        await _bob.OpenDirectAsync(_aliceName);
        await _bob.SendAsync("a request");
        await Expect(_alice.Conversation($"@{_bobName}").Locator(".request")).ToBeVisibleAsync();
        await Expect(_bob.Conversation($"@{_aliceName}").Locator(".request")).ToHaveCountAsync(0);

        await _alice.Conversation($"@{_bobName}").ClickAsync();
        await _alice.Page.GetByRole(AriaRole.Button, new() { Name = "Forget", Exact = true }).ClickAsync();
        await Expect(_alice.Conversation($"@{_bobName}")).ToHaveCountAsync(0);
        await _alice.Page.ReloadAsync();
        await Expect(_alice.Conversation(_group)).ToBeVisibleAsync();
        await Expect(_alice.Conversation($"@{_bobName}")).ToHaveCountAsync(0);

        await _bob.SendAsync("asking again");
        await Expect(_alice.Conversation($"@{_bobName}").Locator(".request")).ToBeVisibleAsync();
        await _alice.Conversation($"@{_bobName}").ClickAsync();
        await _alice.SendAsync("answered");
        await Expect(_alice.Conversation($"@{_bobName}").Locator(".request")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task ReadingInOneTab_ClearsTheUnreadBadgeInTheOther()
    {
        var other = Unique.Name("other");
        await _bob.JoinAsync(other);
        await using var bobsSecondTab = await ChatPage.OpenAsync(_fixture);
        await bobsSecondTab.LogInAsync(_bobName);
        await bobsSecondTab.Conversation(other).ClickAsync();
        await _alice.SendAsync("unread until bob looks");
        await Expect(_bob.Conversation(_group).Locator(".unread")).ToHaveTextAsync("1");
        await Expect(bobsSecondTab.Conversation(_group).Locator(".unread")).ToHaveTextAsync("1");

        await _bob.Conversation(_group).ClickAsync();

        await Expect(_bob.Message("unread until bob looks")).ToHaveCountAsync(1);
        await Expect(bobsSecondTab.Conversation(_group).Locator(".unread")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task PrivateGroup_InvitedUserJoins_AndIsKickedByTheOwner()
    {
        var team = Unique.Name("team");
        await _alice.CreateAsync(team, isPrivate: true);
        await _alice.Page.GetByLabel("Invite user").FillAsync(_bobName);
        await _alice.Page.GetByRole(AriaRole.Button, new() { Name = "Invite", Exact = true }).ClickAsync();

        await Expect(_bob.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync($"{_aliceName} invited you to {team}");
        await _bob.Page.GetByRole(AriaRole.Button, new() { Name = "Join", Exact = true }).ClickAsync();
        await Expect(_bob.Conversation(team)).ToBeVisibleAsync();
        await Expect(_alice.PresenceDot(_bobName, "online")).ToBeVisibleAsync();
        await _alice.Page.GetByRole(AriaRole.Button, new() { Name = $"Kick: {_bobName}" }).ClickAsync();

        await Expect(_bob.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync($"{_aliceName} removed you from {team}");
        await Expect(_bob.Conversation(team)).ToHaveCountAsync(0);
        await Expect(_alice.Page.Locator($"li.member[data-user=\"{_bobName}\"]")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task EditAndDelete_SeenByTheOtherUser_AndAfterAReload()
    {
        await _alice.SendAsync("helo bob");
        await Expect(_bob.Message("helo bob")).ToHaveCountAsync(1);
        _alice.Page.Dialog += async (_, dialog) => await dialog.AcceptAsync("hello bob");

        await _alice.Page.GetByRole(AriaRole.Button, new() { Name = "Edit message 1" }).ClickAsync();
        await Expect(_bob.Message("hello bob").Locator(".edited")).ToHaveTextAsync("(edited)");
        await _alice.Page.GetByRole(AriaRole.Button, new() { Name = "Delete message 1" }).ClickAsync();
        await Expect(_bob.Message("message deleted")).ToHaveCountAsync(1);
        await _bob.Page.ReloadAsync();

        await Expect(_bob.Message("message deleted")).ToHaveCountAsync(1);
        await Expect(_bob.Message("hello bob")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task LogOut_EndsTheSessionOnTheServer()
    {
        var token = await _alice.Page.EvaluateAsync<string>("() => sessionStorage.getItem('orleanschat.token')");

        await _alice.Page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();

        await Expect(_alice.Page.GetByRole(AriaRole.Button, new() { Name = "Log in" })).ToBeVisibleAsync();
        await using var socket = await ChatSocket.ConnectAsync(_fixture.Host.HttpUri);
        var reply = await socket.RequestAsync(new { type = "auth", token });
        Assert.Equal("unauthorized", reply.GetProperty("code").GetString());
    }

    [Fact]
    public async Task ClosingThePage_TurnsThePresenceDotOffline()
    {
        await Expect(_alice.PresenceDot(_bobName, "online")).ToBeVisibleAsync();

        await _bob.Page.CloseAsync();

        await Expect(_alice.PresenceDot(_bobName, "offline")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Typing_ShowsWhoIsTyping()
    {
        await _bob.Page.GetByRole(AriaRole.Textbox, new() { Name = "Message" }).PressSequentiallyAsync("hello");

        await Expect(_alice.Typing).ToHaveTextAsync($"{_bobName} is typing…");
    }

    [Fact]
    public async Task Reload_KeepsTheSession()
    {
        await _alice.SendAsync("before reload");
        await Expect(_alice.Message("before reload")).ToHaveCountAsync(1);

        await _alice.Page.ReloadAsync();

        await Expect(_alice.Status).ToHaveTextAsync("online");
        await _alice.Page.Locator($"button.group[data-group=\"{_group}\"]").ClickAsync();
        await Expect(_alice.Message("before reload")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task ScriptInAMessage_ShownAsText()
    {
        const string Text = "<script>window.injected = true</script><b>bold?</b>";
        var dialogs = 0;
        _bob.Page.Dialog += (_, _) => dialogs++;

        await _alice.SendAsync(Text);

        await Expect(_bob.Message(Text)).ToHaveCountAsync(1);
        Assert.Equal(0, await _bob.Message(Text).Locator("script, b").CountAsync());
        Assert.False(await _bob.Page.EvaluateAsync<bool>("() => window.injected === true"));
        Assert.Equal(0, dialogs);
    }

    /// <summary>
    /// A gateway that counts any delivery lag as overload refuses the publish after a delivered one until the
    /// lag is two seconds old: the page keeps the message pending, says so, and sends it again after the hint.
    /// </summary>
    [Fact]
    public async Task Overloaded_PageRetriesAfterTheHint_MessageShownOnce()
    {
        await _fixture.RestartGatewayAsync(("Gateway:Overload:MaxDeliveryLag", "00:00:00"), ("Gateway:Overload:LagWindow", "00:00:02"));
        try
        {
            await Expect(_alice.Status).ToHaveTextAsync("online");
            await Expect(_bob.Status).ToHaveTextAsync("online");
            await _alice.SendAsync("first");
            await Expect(_bob.Message("first")).ToHaveCountAsync(1);

            await _alice.SendAsync("second");

            await Expect(_alice.Page.Locator("#pending")).ToContainTextAsync("server busy, retrying");
            await Expect(_bob.Message("second")).ToHaveCountAsync(1);
            await Expect(_alice.Message("second")).ToHaveCountAsync(1);
            await Expect(_alice.Page.Locator("#pending li")).ToHaveCountAsync(0);
            Assert.Equal([1, 2], await _alice.ShownSeqsAsync());
            await Expect(_alice.Page.Locator("#error")).ToBeEmptyAsync();
        }
        finally
        {
            await _fixture.RestartGatewayAsync();
        }
    }

    /// <summary>An edit made while the page could not connect is applied once it is back (through the changes catch-up, as no event reached it).</summary>
    [Fact]
    public async Task EditMadeWhileThePageWasOffline_ShownOnceItIsBack()
    {
        await _bob.SendAsync("see you at 5");
        await Expect(_alice.Message("see you at 5")).ToHaveCountAsync(1);
        var seq = (await _alice.ShownSeqsAsync()).Max();

        await _alice.Page.Context.SetOfflineAsync(true);
        await _fixture.RestartGatewayAsync();
        await Expect(_alice.Status).Not.ToHaveTextAsync("online");
        await using (var bob = await ChatClient.ConnectAsync(_fixture.PageUri, new ChatClientOptions { Reconnect = false }))
        {
            await bob.LoginAsync(_bobName, ChatPage.Password);
            await bob.EditAsync(_group, seq, "see you at 6");
        }

        await _alice.Page.Context.SetOfflineAsync(false);
        await Expect(_alice.Status).ToHaveTextAsync("online");
        await Expect(_alice.Message("see you at 6")).ToHaveCountAsync(1);
        await Expect(_alice.Message("see you at 5")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task ServerRestart_MessagesSentMeanwhileShownExactlyOnce()
    {
        await _bob.SendAsync("before the restart");
        await Expect(_alice.Message("before the restart")).ToHaveCountAsync(1);

        await _fixture.RestartGatewayAsync();
        await using (var carol = await ChatClient.ConnectAsync(_fixture.PageUri, new ChatClientOptions { Reconnect = false }))
        {
            var carolName = Unique.Name("carol");
            await carol.RegisterAsync(carolName, ChatPage.Password);
            await carol.LoginAsync(carolName, ChatPage.Password);
            await carol.JoinAsync(_group);
            for (var i = 1; i <= 3; i++)
            {
                await carol.PublishAsync(_group, $"meanwhile {i}");
            }
        }

        await Expect(_alice.Status).ToHaveTextAsync("online");
        for (var i = 1; i <= 3; i++)
        {
            await Expect(_alice.Message($"meanwhile {i}")).ToHaveCountAsync(1);
        }

        await _bob.SendAsync("after the restart");
        await Expect(_alice.Message("after the restart")).ToHaveCountAsync(1);
        Assert.Equal([1, 2, 3, 4, 5], await _alice.ShownSeqsAsync());
    }
}
