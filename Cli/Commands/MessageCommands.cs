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
        var history = new Command("history", "Show a group's stored messages") { group, before, after, limit };
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
            var page = await client.HistoryAsync(parse.GetValue(group)!, parse.GetValue(after), parse.GetValue(before), parse.GetValue(limit), cancellationToken);
            foreach (var message in page.Messages)
            {
                context.Output.Message(message);
            }
        });

        return [send, history];
    }
}
