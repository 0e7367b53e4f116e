using System.CommandLine;
using OrleansChat.Client;

namespace OrleansChat.Cli.Commands;

/// <summary>Commands that stay connected: they reconnect and catch up by themselves until Ctrl-C.</summary>
internal static class LiveCommands
{
    public static IEnumerable<Command> Build()
    {
        var targets = new Argument<string[]>("targets") { Description = "Groups, or @user for direct conversations, to follow", Arity = ArgumentArity.OneOrMore };
        var tail = new Command("tail", "Print live messages and presence of groups and direct conversations until Ctrl-C") { targets };
        tail.SetBody(async (parse, context, cancellationToken) =>
        {
            var (client, followed) = await FollowAsync(context, parse.GetValue(targets)!, cancellationToken);
            await using var _ = client;
            await PrintEventsAsync(client, context.Output, followed, cancellationToken);
        });

        var target = new Argument<string>("target") { Description = "Group, or @user for a direct conversation, to chat in" };
        var chat = new Command("chat", "Chat interactively: type lines to send, see others' messages as they come") { target };
        chat.SetBody(async (parse, context, cancellationToken) =>
        {
            var (client, followed) = await FollowAsync(context, [parse.GetValue(target)!], cancellationToken);
            await using var _ = client;
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var printing = PrintEventsAsync(client, context.Output, followed, stop.Token);
            await SendLinesAsync(client, followed[0], stop.Token);
            await stop.CancelAsync();
            await printing;
        });

        return [tail, chat];
    }

    /// <summary>
    /// Connects and checks every target, failing with not_found or forbidden before printing anything like any
    /// other command would; returns the targets with each @user spelt as registered, as events name them.
    /// </summary>
    private static async Task<(ChatClient Client, string[] Targets)> FollowAsync(CliContext context, string[] targets, CancellationToken cancellationToken)
    {
        var client = await context.ConnectAuthenticatedAsync(cancellationToken, reconnect: true);
        var followed = new List<string>();
        try
        {
            foreach (var target in targets)
            {
                if (ChatTarget.DirectWith(target) is { } with)
                {
                    followed.Add(ChatTarget.Direct((await client.DirectHistoryAsync(with, limit: 1, cancellationToken: cancellationToken)).With));
                }
                else
                {
                    await client.MembersAsync(target, cancellationToken);
                    followed.Add(target);
                }
            }
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }

        Output.Status($"following {string.Join(", ", followed)} as {client.User?.Username}; Ctrl-C to stop");
        return (client, [.. followed]);
    }

    private static async Task PrintEventsAsync(ChatClient client, Output output, string[] targets, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var chatEvent in client.Events.ReadAllAsync(cancellationToken))
            {
                if (TargetOf(chatEvent) is not { } target || targets.Contains(target, StringComparer.Ordinal))
                {
                    output.Event(chatEvent);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private static async Task SendLinesAsync(ChatClient client, string target, CancellationToken cancellationToken)
    {
        while (await Console.In.ReadLineAsync(cancellationToken) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                var clientMsgId = Guid.NewGuid().ToString("N");
                await (ChatTarget.DirectWith(target) is { } with
                    ? client.DirectAsync(with, line, clientMsgId, cancellationToken)
                    : (Task)client.PublishAsync(target, line, clientMsgId, cancellationToken));
            }
            catch (ChatDisconnectedException)
            {
                Output.Error("not connected right now; the line was not sent");
            }
        }
    }

    /// <summary>The target an event belongs to (a group's name, or @user); null for the connection's own events.</summary>
    private static string? TargetOf(ChatEvent chatEvent) => chatEvent switch
    {
        MessageReceived message => message.Group,
        MemberChanged change => change.Group,
        MessageChanged { Group: { } group } => group,
        MessageChanged { With: { } with } => ChatTarget.Direct(with),
        ChangesMissed { Group: { } group } => group,
        ChangesMissed { With: { } with } => ChatTarget.Direct(with),
        DirectReceived direct => ChatTarget.Direct(direct.With),
        PresenceChanged presence => presence.Group,
        UserTyping typing => typing.Group,
        _ => null,
    };
}
