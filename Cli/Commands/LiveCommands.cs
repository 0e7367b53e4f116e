using System.CommandLine;
using OrleansChat.Client;

namespace OrleansChat.Cli.Commands;

/// <summary>Commands that stay connected: they reconnect and catch up by themselves until Ctrl-C.</summary>
internal static class LiveCommands
{
    public static IEnumerable<Command> Build()
    {
        var groups = new Argument<string[]>("groups") { Description = "Groups to follow", Arity = ArgumentArity.OneOrMore };
        var tail = new Command("tail", "Print live messages and presence of groups until Ctrl-C") { groups };
        tail.SetBody(async (parse, context, cancellationToken) =>
        {
            await using var client = await FollowAsync(context, parse.GetValue(groups)!, cancellationToken);
            await PrintEventsAsync(client, context.Output, parse.GetValue(groups)!, cancellationToken);
        });

        var group = new Argument<string>("group") { Description = "Group to chat in" };
        var chat = new Command("chat", "Chat interactively: type lines to send, see others' messages as they come") { group };
        chat.SetBody(async (parse, context, cancellationToken) =>
        {
            var name = parse.GetValue(group)!;
            await using var client = await FollowAsync(context, [name], cancellationToken);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var printing = PrintEventsAsync(client, context.Output, [name], stop.Token);
            await SendLinesAsync(client, name, stop.Token);
            await stop.CancelAsync();
            await printing;
        });

        return [tail, chat];
    }

    private static async Task<ChatClient> FollowAsync(CliContext context, string[] groups, CancellationToken cancellationToken)
    {
        var client = await context.ConnectAuthenticatedAsync(cancellationToken, reconnect: true);
        try
        {
            // Fails with not_found or forbidden before printing anything, like any other command would.
            foreach (var group in groups)
            {
                await client.MembersAsync(group, cancellationToken);
            }
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }

        Output.Status($"following {string.Join(", ", groups)} as {client.User?.Username}; Ctrl-C to stop");
        return client;
    }

    private static async Task PrintEventsAsync(ChatClient client, Output output, string[] groups, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var chatEvent in client.Events.ReadAllAsync(cancellationToken))
            {
                if (GroupOf(chatEvent) is not { } group || groups.Contains(group, StringComparer.Ordinal))
                {
                    output.Event(chatEvent);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private static async Task SendLinesAsync(ChatClient client, string group, CancellationToken cancellationToken)
    {
        while (await Console.In.ReadLineAsync(cancellationToken) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                await client.PublishAsync(group, line, Guid.NewGuid().ToString("N"), cancellationToken);
            }
            catch (ChatDisconnectedException)
            {
                Output.Error("not connected right now; the line was not sent");
            }
        }
    }

    private static string? GroupOf(ChatEvent chatEvent) => chatEvent switch
    {
        MessageReceived message => message.Group,
        PresenceChanged presence => presence.Group,
        UserTyping typing => typing.Group,
        _ => null,
    };
}
