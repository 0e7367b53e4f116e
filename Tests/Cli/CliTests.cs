using OrleansChat.Tests.Infrastructure;
using OrleansChat.Tests.Protocol;

namespace OrleansChat.Tests.Cli;

[Collection(GatewayCollection.Name)]
public sealed class CliTests(GatewayFixture fixture) : IDisposable
{
    private const string Password = "cli password";
    private readonly string _configHome = Directory.CreateTempSubdirectory("orleanschat-cli-").FullName;

    private string Url => fixture.Host.HttpUri.ToString();

    [Fact]
    public async Task RegisterLoginJoinSendHistory_RoundTrip()
    {
        var user = Unique.Name("Cli");
        var group = Unique.Name("g");

        await Ok(Password, "register", user, "--password-stdin");
        await Ok(Password, "login", user, "--password-stdin");
        await Ok(null, "join", group);
        var sent = await Ok(null, "send", group, "hello from the command line");
        var history = await Ok(null, "history", group);
        var json = await Ok(null, "history", group, "--after", "0", "--limit", "5", "--json");
        var groups = await Ok(null, "groups", "--json");

        Assert.Equal("sent #1", sent);
        Assert.Matches(@$"^#1 \d\d:\d\d:\d\d {user}: hello from the command line$", history);
        Assert.Contains("\"text\":\"hello from the command line\"", json, StringComparison.Ordinal);
        Assert.Matches("\"ts\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\"", json);
        Assert.Contains($"\"group\":\"{group}\"", groups, StringComparison.Ordinal);
        var token = await File.ReadAllTextAsync(Path.Combine(_configHome, "orleanschat", "tokens.json"));
        Assert.Contains(fixture.Host.HttpUri.Authority, token, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_configHome, "orleanschat", "tokens.json")));
    }

    [Fact]
    public async Task EditAndDelete_ShownInHistory()
    {
        var user = Unique.Name("Cli");
        var group = Unique.Name("g");
        await Ok(Password, "register", user, "--password-stdin");
        await Ok(Password, "login", user, "--password-stdin");
        await Ok(null, "join", group);
        await Ok(null, "send", group, "helo");
        await Ok(null, "send", group, "oops");

        var edited = await Ok(null, "edit", group, "1", "hello");
        var deleted = await Ok(null, "delete", group, "2");
        var history = await Ok(null, "history", group);

        Assert.Equal(("edited #1", "deleted #2"), (edited, deleted));
        Assert.Matches(@$"^#1 \d\d:\d\d:\d\d {user}: hello \(edited\)\n#2 \d\d:\d\d:\d\d {user}: \[deleted\]$", history);
    }

    [Fact]
    public async Task MessageWithControlCharacters_PrintedEscaped_CannotRewriteTheTerminal()
    {
        var user = Unique.Name("Cli");
        var group = Unique.Name("g");
        await Ok(Password, "register", user, "--password-stdin");
        await Ok(Password, "login", user, "--password-stdin");
        await Ok(null, "join", group);

        // Retitle the window, clear the screen, forge a second line, and reverse what follows.
        await Ok(null, "send", group, "\u001b]0;pwned\u0007\u001b[2Jhi\n#2 00:00:00 admin: fake\u202eright");
        var history = await Ok(null, "history", group);

        Assert.Matches(@$"^#1 \d\d:\d\d:\d\d {user}: \\u001b\]0;pwned\\u0007\\u001b\[2Jhi\\u000a#2 00:00:00 admin: fake\\u202eright$", history);
        Assert.DoesNotContain(history, c => char.IsControl(c) || c == '\u202e');
    }

    [Fact]
    public async Task Tail_PrintsMessageSentByAnotherProcess()
    {
        var user = await fixture.Host.RegisterAsync(Unique.Name("Tail"));
        var group = Unique.Name("g");
        await Ok(Chatters.Password, "login", user, "--password-stdin");
        await Ok(null, "join", group);

        await using var tail = CliProcess.Start(_configHome, null, "--url", Url, "tail", group);
        Assert.StartsWith($"following {group}", await tail.NextStderrLineAsync(), StringComparison.Ordinal);
        await Ok(null, "send", group, "seen by tail");

        Assert.Matches($"^#1 \\d\\d:\\d\\d:\\d\\d {user}: seen by tail$", await tail.NextStdoutLineAsync());
    }

    [Fact]
    public async Task DirectMessages_SendChatListHistoryBlock()
    {
        var bob = await fixture.Host.RegisterAsync(Unique.Name("Bob"));
        var user = Unique.Name("Cli");
        await Ok(Password, "register", user, "--password-stdin");
        await Ok(Password, "login", user, "--password-stdin");

        var sent = await Ok(null, "dm", bob.ToUpperInvariant(), "hello bob");
        await Ok("typed line", "chat", $"@{bob}");
        var history = await Ok(null, "history", $"@{bob}");
        var conversations = await Ok(null, "conversations");
        var read = await Ok(null, "read", $"@{bob}", "5");
        var afterRead = await Ok(null, "conversations");
        var blocked = await Ok(null, "block", bob);
        var listed = await Ok(null, "conversations", "--json");
        var unblocked = await Ok(null, "unblock", bob);

        Assert.Equal($"sent #1 to {bob}", sent);
        Assert.Matches(@$"^#1 \d\d:\d\d:\d\d {user}: hello bob\n#2 \d\d:\d\d:\d\d {user}: typed line$", history);
        Assert.Equal($"{bob} (last seq 2, 2 unread)", conversations);
        Assert.Equal("read up to #2", read);
        Assert.Equal($"{bob} (last seq 2)", afterRead);
        Assert.Equal($"blocked {bob}", blocked);
        Assert.Contains("\"blocked\":true", listed, StringComparison.Ordinal);
        Assert.Equal($"unblocked {bob}", unblocked);
    }

    [Fact]
    public async Task MessageRequest_ListedAsSuch_ForgetDropsIt()
    {
        var user = Unique.Name("Cli");
        await Ok(Password, "register", user, "--password-stdin");
        await Ok(Password, "login", user, "--password-stdin");
        var (cat, catName) = await fixture.Host.LoggedInRevision2Async();
        await using var _ = cat;
        await cat.OkAsync(new { type = "direct", to = user, text = "hello stranger" });

        var listed = await Ok(null, "conversations");
        var forgot = await Ok(null, "forget", catName.ToUpperInvariant());
        var afterForget = await Ok(null, "conversations");

        Assert.Equal($"{catName} (last seq 1, 1 unread, request)", listed);
        Assert.Equal($"forgot {catName}", forgot);
        Assert.Equal("", afterForget);
    }

    [Fact]
    public async Task PrivateGroup_CreateInvitePromoteKickDelete()
    {
        var bob = await fixture.Host.RegisterAsync(Unique.Name("Bob"));
        var user = Unique.Name("Cli");
        var group = Unique.Name("g");
        await Ok(Password, "register", user, "--password-stdin");
        await Ok(Password, "login", user, "--password-stdin");

        var created = await Ok(null, "create", group, "--private");
        var invited = await Ok(null, "invite", group, bob);
        var (bobSocket, _) = await fixture.Host.LoggedInAsync(bob);
        await using var _b = bobSocket;
        await bobSocket.JoinAsync(group);
        var promoted = await Ok(null, "promote", group, bob);
        var members = await Ok(null, "members", group);
        var kicked = await Ok(null, "kick", group, bob);
        var deleted = await Ok(null, "delete-group", group);
        var (exitCode, _, stderr) = await Run(null, "history", group);

        Assert.Equal($"created private group {group}", created);
        Assert.Equal($"invite: {bob} in {group}", invited);
        Assert.Equal($"promote: {bob} in {group}", promoted);
        Assert.Contains($"{bob} (admin)", members, StringComparison.Ordinal);
        Assert.Contains($"{user} (owner)", members, StringComparison.Ordinal);
        Assert.Equal($"kick: {bob} in {group}", kicked);
        Assert.Equal($"deleted {group}", deleted);
        Assert.NotEqual(0, exitCode);
        Assert.Contains("(not_found)", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tail_PrintsDirectMessagesOfAConversationAnotherUserStarts()
    {
        var user = await fixture.Host.RegisterAsync(Unique.Name("Tail"));
        var (bob, bobName) = await fixture.Host.LoggedInAsync();
        await using var _b = bob;
        await Ok(Chatters.Password, "login", user, "--password-stdin");

        await using var tail = CliProcess.Start(_configHome, null, "--url", Url, "tail", $"@{bobName.ToUpperInvariant()}");
        Assert.StartsWith($"following @{bobName}", await tail.NextStderrLineAsync(), StringComparison.Ordinal);
        await bob.OkAsync(new { type = "direct", to = user, text = "seen by tail" });

        Assert.Matches($"^#1 \\d\\d:\\d\\d:\\d\\d {bobName}: seen by tail$", await tail.NextStdoutLineAsync());
    }

    [Fact]
    public async Task Chat_SendsTypedLinesAndEndsAtEndOfInput()
    {
        var user = await fixture.Host.RegisterAsync(Unique.Name("Chat"));
        var group = Unique.Name("g");
        await Ok(Chatters.Password, "login", user, "--password-stdin");
        await Ok(null, "join", group);

        await Ok("first line\nsecond line", "chat", group);
        var history = await Ok(null, "history", group);
        var members = await Ok(null, "members", group);
        await Ok(null, "leave", group);
        var (exitCode, _, stderr) = await Run(null, "history", group);

        Assert.Matches($"^#1 .* {user}: first line\n#2 .* {user}: second line$", history);
        Assert.Contains(user, members, StringComparison.Ordinal);
        Assert.NotEqual(0, exitCode);
        Assert.Contains("(forbidden)", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logout_EndsTheSessionAndForgetsTheToken()
    {
        var user = await fixture.Host.RegisterAsync();
        await Ok(Chatters.Password, "login", user, "--password-stdin");
        var stored = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_configHome, "orleanschat", "tokens.json")));
        var token = stored.RootElement.EnumerateObject().Single().Value.GetString();

        await Ok(null, "logout");
        var (exitCode, _, stderr) = await Run(null, "groups");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("not logged in", stderr, StringComparison.Ordinal);
        await using var socket = await fixture.Host.ConnectAsync();
        Assert.Equal("unauthorized", (await socket.RequestAsync(new { type = "auth", token })).Str("code"));
    }

    [Fact]
    public async Task WrongPassword_NonZeroExitAndErrorOnStderr()
    {
        var user = await fixture.Host.RegisterAsync();

        var (exitCode, stdout, stderr) = await Run("wrong password!", "login", user, "--password-stdin");

        Assert.NotEqual(0, exitCode);
        Assert.Empty(stdout);
        Assert.Contains("wrong username or password (unauthorized)", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NonMemberGroup_ClearError()
    {
        var (owner, _) = await fixture.Host.LoggedInAsync();
        await using var _o = owner;
        var group = Unique.Name("private");
        await owner.JoinAsync(group);
        var user = await fixture.Host.RegisterAsync();
        await Ok(Chatters.Password, "login", user, "--password-stdin");

        var (exitCode, _, stderr) = await Run(null, "history", group);

        Assert.NotEqual(0, exitCode);
        Assert.Contains($"not a member of {group} (forbidden)", stderr, StringComparison.Ordinal);
    }

    /// <summary>
    /// A gateway that counts any delivery lag as overload refuses publishes to the group for five seconds after
    /// a delivery; `send` says it is waiting and gets the message through once that has passed.
    /// </summary>
    [Fact]
    public async Task Send_WhileOverloaded_SaysSoRetriesAndSucceeds()
    {
        await using var host = await GatewayHost.StartAsync(("Gateway:Overload:MaxDeliveryLag", "00:00:00"), ("Gateway:Overload:LagWindow", "00:00:05"));
        await using var room = await ChatRoom.OpenAsync(host, 1);
        var ((member, username), group) = (room[0], room.Group);
        await CliProcess.RunAsync(_configHome, Chatters.Password, "--url", host.HttpUri.ToString(), "login", username, "--password-stdin");
        await member.PublishAsync(group, "first");
        await member.NextEventAsync("message", group);

        var (exitCode, stdout, stderr) = await CliProcess.RunAsync(_configHome, null, "--url", host.HttpUri.ToString(), "send", group, "second");

        Assert.True(exitCode == 0, $"send exited {exitCode}: {stderr}");
        Assert.Equal("sent #2", stdout.Trim());
        Assert.Contains("server busy; retrying in", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerDown_ClearErrorAndExitCode2()
    {
        var (exitCode, _, stderr) = await CliProcess.RunAsync(_configHome, Password, "--url", $"http://127.0.0.1:{FreePort.Next()}", "register", "nobody_here", "--password-stdin");

        Assert.Equal(2, exitCode);
        Assert.Contains("cannot reach the chat server", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("history")]
    [InlineData("send", "only-group")]
    [InlineData("frobnicate")]
    [InlineData("history", "g", "--limit", "zero")]
    [InlineData("--url", "not a url", "groups")]
    public async Task BadArguments_UsageError(params string[] args)
    {
        var (exitCode, _, stderr) = await CliProcess.RunAsync(_configHome, null, args);

        Assert.NotEqual(0, exitCode);
        Assert.False(string.IsNullOrWhiteSpace(stderr));
    }

    public void Dispose() => Directory.Delete(_configHome, recursive: true);

    private Task<(int ExitCode, string Stdout, string Stderr)> Run(string? stdin, params string[] args) =>
        CliProcess.RunAsync(_configHome, stdin, ["--url", Url, .. args]);

    private async Task<string> Ok(string? stdin, params string[] args)
    {
        var (exitCode, stdout, stderr) = await Run(stdin, args);
        Assert.True(exitCode == 0, $"`{string.Join(' ', args)}` exited {exitCode}: {stderr}");
        return stdout;
    }
}
