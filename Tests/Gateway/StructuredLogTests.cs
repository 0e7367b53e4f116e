using System.Net.Http.Json;
using System.Text.Json;
using OrleansChat.Client;
using OrleansChat.Tests.Infrastructure;

namespace OrleansChat.Tests.Gateway;

/// <summary>
/// The gateway as a process logging JSON lines at Debug (Logging:Console:FormatterName=json): every line
/// about a socket carries its id and, once signed in, its username; no password or token is ever printed.
/// </summary>
public sealed class StructuredLogTests
{
    private const string Password = "first secret password";
    private const string NewPassword = "second secret password";

    [Fact]
    public async Task JsonLogsOfAWholeSession_CarrySocketAndUser_NeverAPasswordOrToken()
    {
        var username = Unique.Name("Log");
        var group = Unique.Name("g");
        var secrets = new List<string> { Password, NewPassword };
        await using var gateway = await ServerProcess.StartAsync(
            "Gateway",
            ("Orleans:Endpoints:SiloPort", $"{FreePort.Next()}"),
            ("Logging:Console:FormatterName", "json"),
            ("Logging:Console:FormatterOptions:IncludeScopes", "true"),
            ("Logging:LogLevel:Default", "Debug"));

        await using (var client = await ChatClient.ConnectAsync(gateway.HttpUri))
        {
            await client.RegisterAsync(username, Password);
            await Assert.ThrowsAsync<ChatUnauthorizedException>(() => client.LoginAsync(username, "a wrong password"));
            var login = await client.LoginAsync(username, Password);
            secrets.Add(Secret(login.Token));
            await using var second = await ChatClient.ConnectAsync(gateway.HttpUri);
            await second.AuthenticateAsync(login.Token);
            await client.JoinAsync(group);
            await client.PublishAsync(group, "hello logs");
            var changed = await client.ChangePasswordAsync(Password, NewPassword);
            secrets.Add(Secret(changed.Token));
            await client.LogoutAsync();
        }

        var httpLogin = await gateway.Http.PostAsJsonAsync("/api/login", new { username, password = NewPassword });
        secrets.Add(Secret((await httpLogin.Content.ReadFromJsonAsync<JsonElement>()).Str("token")));
        await gateway.StopAsync();

        var lines = gateway.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.All(secrets, secret => Assert.DoesNotContain(secret, gateway.Output, StringComparison.Ordinal));
        var entries = lines.Select(line => JsonDocument.Parse(line).RootElement).ToList();
        var socketLines = entries.Where(entry => entry.Str("Category") == "OrleansChat.Gateway.Sockets.SocketSession").ToList();
        Assert.True(socketLines.Count > 0, string.Join(", ", entries.Select(entry => entry.Str("Category")).Distinct()));
        Assert.All(socketLines, entry => Assert.True(ScopeValue(entry, "SocketId") is not null, $"no socket id in {entry}"));
        Assert.Contains(socketLines, entry => ScopeValue(entry, "Username") == username);
    }

    /// <summary>The random half of a token: what must never be printed.</summary>
    private static string Secret(string token) => token[(token.LastIndexOf('.') + 1)..];

    private static string? ScopeValue(JsonElement entry, string key)
    {
        if (!entry.TryGetProperty("Scopes", out var scopes))
        {
            return null;
        }

        foreach (var scope in scopes.EnumerateArray())
        {
            if (scope.ValueKind == JsonValueKind.Object && scope.TryGetProperty(key, out var value) && value.ValueKind != JsonValueKind.Null)
            {
                return value.ToString();
            }
        }

        return null;
    }
}
