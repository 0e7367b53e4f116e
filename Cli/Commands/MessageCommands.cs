using System.CommandLine;

namespace OrleansChat.Cli.Commands;

internal static class MessageCommands
{
    public static IEnumerable<Command> Build()
    {
        var group = new Argument<string>("group") { Description = "Group name" };

        var text = new Argument<string>("text") { Description = "Message text" };
        var send = new Command("send", "Send a message to a group") { group, text };
        send.SetBody(async (parse, context, cancellationToken) =>
        {
            await using var client = await context.ConnectAuthenticatedAsync(cancellationToken);
            var sent = await client.PublishAsync(parse.GetValue(group)!, parse.GetValue(text)!, Guid.NewGuid().ToString("N"), cancellationToken);
            context.Output.Result(new { sent.Group, sent.Seq, ts = Output.WireTime(sent.Ts) }, $"sent #{sent.Seq}");
        });

        var before = new Option<long?>("--before") { Description = "Only messages with a lower seq (newest first picked)" };
        var after = new Option<long?>("--after") { Description = "Only messages with a higher seq (oldest first picked)" };
        var limit = new Option<int?>("--limit") { Description = "At most this many messages (1 to 200, default 50)" };
        var target = new Argument<string>("target") { Description = "Group name, or @user for a direct conversation" };
        var history = new Command("history", "Show the stored messages of a group or a direct conversation") { target, before, after, limit };
        history.Validators.Add(result =>
        {
            if (result.GetValue(limit) is < 1)
            {
                result.AddError("--limit must be 1 or more");
            }
        });
        history.SetBody(async (parse, context, cancellationToken) =>
        {
            await using var client = await context.ConnectAuthenticatedAsync(cancellationToken);
            var (from, to, count) = (parse.GetValue(after), parse.GetValue(before), parse.GetValue(limit));
            if (ChatTarget.DirectWith(parse.GetValue(target)!) is { } with)
            {
                foreach (var message in (await client.DirectHistoryAsync(with, from, to, count, cancellationToken)).Messages)
                {
                    context.Output.Direct(message);
                }

                return;
            }

            foreach (var message in (await client.HistoryAsync(parse.GetValue(target)!, from, to, count, cancellationToken)).Messages)
            {
                context.Output.Message(message);
            }
        });

        var seq = new Argument<long>("seq") { Description = "Mark messages up to this seq read" };
        var read = new Command("read", "Mark a group or direct conversation read up to a seq") { target, seq };
        read.SetBody(async (parse, context, cancellationToken) =>
        {
            await using var client = await context.ConnectAuthenticatedAsync(cancellationToken);
            var name = parse.GetValue(target)!;
            var marked = ChatTarget.DirectWith(name) is { } with
                ? await client.MarkDirectReadAsync(with, parse.GetValue(seq), cancellationToken)
                : await client.MarkReadAsync(name, parse.GetValue(seq), cancellationToken);
            context.Output.Result(new { target = name, seq = marked }, $"read up to #{marked}");
        });

        var newText = new Argument<string>("text") { Description = "The message's new text" };
        var change = new Command("edit", "Change the text of one of your messages") { target, seq, newText };
        change.SetBody(async (parse, context, cancellationToken) =>
        {
            await using var client = await context.ConnectAuthenticatedAsync(cancellationToken);
            var (name, number) = (parse.GetValue(target)!, parse.GetValue(seq));
            await (ChatTarget.DirectWith(name) is { } with
                ? client.EditDirectAsync(with, number, parse.GetValue(newText)!, cancellationToken)
                : client.EditAsync(name, number, parse.GetValue(newText)!, cancellationToken));
            context.Output.Result(new { target = name, seq = number }, $"edited #{number}");
        });

        var delete = new Command("delete", "Delete a message (your own, or any in a group you own or administer)") { target, seq };
        delete.SetBody(async (parse, context, cancellationToken) =>
        {
            await using var client = await context.ConnectAuthenticatedAsync(cancellationToken);
            var (name, number) = (parse.GetValue(target)!, parse.GetValue(seq));
            await (ChatTarget.DirectWith(name) is { } with
                ? client.DeleteDirectAsync(with, number, cancellationToken)
                : client.DeleteAsync(name, number, cancellationToken));
            context.Output.Result(new { target = name, seq = number }, $"deleted #{number}");
        });

        return [send, history, read, change, delete];
    }
}
