using System.CommandLine;

namespace OrleansChat.Cli.Commands;

/// <summary>Direct messages: send one, list the conversations, block, unblock and forget. History, tail and chat take <c>@user</c>.</summary>
internal static class DirectCommands
{
    public static IEnumerable<Command> Build()
    {
        var user = new Argument<string>("user") { Description = "Username of the other user" };

        var text = new Argument<string>("text") { Description = "Message text" };
        var dm = new Command("dm", "Send a direct message to a user") { user, text };
        dm.SetBody(async (parse, context, cancellationToken) =>
        {
            await using var client = await context.ConnectAuthenticatedAsync(cancellationToken);
            var sent = await client.DirectAsync(parse.GetValue(user)!, parse.GetValue(text)!, Guid.NewGuid().ToString("N"), cancellationToken);
            context.Output.Result(new { sent.With, sent.Seq, ts = Output.WireTime(sent.Ts) }, $"sent #{sent.Seq} to {TerminalText.Escape(sent.With)}");
        });

        var conversations = new Command("conversations", "List your direct conversations");
        conversations.SetBody(async (_, context, cancellationToken) =>
        {
            await using var client = await context.ConnectAuthenticatedAsync(cancellationToken);
            foreach (var conversation in await client.ConversationsAsync(cancellationToken))
            {
                var blocked = conversation.Blocked ? ", blocked" : "";
                var request = conversation.Request ? ", request" : "";
                context.Output.Result(conversation, $"{TerminalText.Escape(conversation.With)} (last seq {conversation.LastSeq}{Output.UnreadNote(conversation.Unread)}{blocked}{request})");
            }
        });

        var forget = new Command("forget", "Take the conversation with a user off your list (its history stays)") { user };
        forget.SetBody(async (parse, context, cancellationToken) =>
        {
            await using var client = await context.ConnectAuthenticatedAsync(cancellationToken);
            var other = await client.ForgetAsync(parse.GetValue(user)!, cancellationToken);
            context.Output.Result(new { user = other }, $"forgot {TerminalText.Escape(other)}");
        });

        return [dm, conversations, BlockCommand(user, blocked: true), BlockCommand(user, blocked: false), forget];
    }

    private static Command BlockCommand(Argument<string> user, bool blocked)
    {
        var verb = blocked ? "block" : "unblock";
        var command = new Command(verb, blocked ? "Stop direct messages between you and a user" : "Allow direct messages from a user again") { user };
        command.SetBody(async (parse, context, cancellationToken) =>
        {
            await using var client = await context.ConnectAuthenticatedAsync(cancellationToken);
            var other = await client.BlockAsync(parse.GetValue(user)!, blocked, cancellationToken);
            context.Output.Result(new { user = other, blocked }, $"{verb}ed {TerminalText.Escape(other)}");
        });
        return command;
    }
}
