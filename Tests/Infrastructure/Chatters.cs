using OrleansChat.Client;
using System.Net.Http.Json;
using System.Text.Json;

namespace OrleansChat.Tests.Infrastructure;

/// <summary>Shortcuts for the setup most protocol tests share: a registered user with a logged-in socket.</summary>
public static class Chatters
{
    public const string Password = "correct horse";

    public static async Task<string> RegisterAsync(this GatewayHost host, string? username = null)
    {
        username ??= Unique.Name();
        var response = await host.Http.PostAsJsonAsync("/api/register", new { username, password = Password });
        response.EnsureSuccessStatusCode();
        return username;
    }

    /// <summary>Registers a new user (unless given one) and returns a socket logged in as that user.</summary>
    public static async Task<(ChatSocket Socket, string Username)> LoggedInAsync(this GatewayHost host, string? username = null)
    {
        username ??= await host.RegisterAsync();
        var socket = await host.ConnectAsync();
        await socket.OkAsync(new { type = "login", username, password = Password });
        return (socket, username);
    }

    /// <summary>
    /// Registers a new user (unless given one) and returns a socket logged in as that user with protocol revision 2,
    /// which receives the events added after version 1.
    /// </summary>
    public static async Task<(ChatSocket Socket, string Username)> LoggedInRevision2Async(this GatewayHost host, string? username = null)
    {
        username ??= await host.RegisterAsync();
        var socket = await host.ConnectAsync();
        await socket.OkAsync(new { type = "login", username, password = Password, protocol = 2 });
        return (socket, username);
    }

    /// <summary>A new public group that Ann owns (she joined first) and Bob joined; both sockets speak revision 2.</summary>
    public static async Task<(string Group, ChatSocket Ann, ChatSocket Bob, string BobName)> OwnerAndMemberAsync(this GatewayHost host)
    {
        var group = Unique.Name("g");
        var (ann, _) = await host.LoggedInRevision2Async();
        var (bob, bobName) = await host.LoggedInRevision2Async();
        await ann.JoinAsync(group);
        await bob.JoinAsync(group);
        return (group, ann, bob, bobName);
    }

    public static async Task<JsonElement> JoinAsync(this ChatSocket socket, string group) =>
        await socket.OkAsync(new { type = "join", group });

    public static async Task<long> PublishAsync(this ChatSocket socket, string group, string text) =>
        (await socket.OkAsync(new { type = "publish", group, text })).GetProperty("seq").GetInt64();

    public static string Type(this JsonElement frame) => frame.GetProperty("type").GetString()!;

    public static string Str(this JsonElement frame, string property) => frame.GetProperty(property).GetString()!;
}
