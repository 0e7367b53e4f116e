using System.Text;
using OrleansChat.Client;
using OrleansChat.Gateway.Protocol;
using OrleansChat.Users;

namespace OrleansChat.Tests.Unit;

/// <summary>Records that carry a password or token never print it, so no log line or exception built from one leaks it.</summary>
[Trait("Category", "Unit")]
public sealed class RedactedSecretsTests
{
    private const string Password = "hunter2-hunter2";
    private const string NewPassword = "correct-horse-battery";
    private const string Token = "alice.AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";

    public static TheoryData<string> FramesWithSecrets => new()
    {
        $$"""{"type":"register","id":"1","username":"alice","password":"{{Password}}"}""",
        $$"""{"type":"login","id":"1","username":"alice","password":"{{Password}}"}""",
        $$"""{"type":"auth","id":"1","token":"{{Token}}"}""",
        $$"""{"type":"change_password","id":"1","password":"{{Password}}","newPassword":"{{NewPassword}}"}""",
    };

    [Theory]
    [MemberData(nameof(FramesWithSecrets))]
    public void ParsedRequest_PrintsNoSecret(string frame)
    {
        var request = RequestParser.Parse(Encoding.UTF8.GetBytes(frame));

        Assert.IsNotType<InvalidRequest>(request);
        AssertRedacted(request.ToString());
    }

    [Fact]
    public void LoginTicketAndLoginResult_PrintNoToken()
    {
        var expires = new DateTime(2026, 12, 3, 0, 0, 0, DateTimeKind.Utc);

        AssertRedacted(new LoginTicket(Token, new UserIdentity("alice", "Alice"), expires).ToString());
        AssertRedacted(new LoginResult(Token, "alice", "Alice", expires).ToString());
    }

    private static void AssertRedacted(string printed)
    {
        Assert.Contains("***", printed, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, printed, StringComparison.Ordinal);
        Assert.DoesNotContain(NewPassword, printed, StringComparison.Ordinal);
        Assert.DoesNotContain(Token.Split('.')[1], printed, StringComparison.Ordinal);
    }
}
