using System.CommandLine;

namespace OrleansChat.Cli.Commands;

internal static class GroupCommands
{
    public static IEnumerable<Command> Build()
    {
        var group = new Argument<string>("group") { Description = "Group name" };

        var join = new Command("join", "Join a group (creating it if needed)") { group };
        join.SetBody(async (parse, context, cancellationToken) =>
        {
            await using var client = await context.ConnectAuthenticatedAsync(cancellationToken);
            var joined = await client.JoinAsync(parse.GetValue(group)!, cancellationToken);
            context.Output.Result(new { joined.Group, joined.LastSeq, joined.Members }, $"joined {joined.Group} ({joined.Members.Count} members, last seq {joined.LastSeq})");
        });

        var leave = new Command("leave", "Leave a group") { group };
        leave.SetBody(async (parse, context, cancellationToken) =>
        {
            await using var client = await context.ConnectAuthenticatedAsync(cancellationToken);
            await client.LeaveAsync(parse.GetValue(group)!, cancellationToken);
            context.Output.Result(new { group = parse.GetValue(group) }, $"left {parse.GetValue(group)}");
        });

        var groups = new Command("groups", "List the groups you belong to");
        groups.SetBody(async (_, context, cancellationToken) =>
        {
            await using var client = await context.ConnectAuthenticatedAsync(cancellationToken);
            foreach (var info in await client.GroupsAsync(cancellationToken))
            {
                context.Output.Result(info, $"{info.Group} (last seq {info.LastSeq}{Output.UnreadNote(info.Unread)})");
            }
        });

        var members = new Command("members", "List a group's members and who is online") { group };
        members.SetBody(async (parse, context, cancellationToken) =>
        {
            await using var client = await context.ConnectAuthenticatedAsync(cancellationToken);
            context.Output.Members(parse.GetValue(group)!, await client.MembersAsync(parse.GetValue(group)!, cancellationToken));
        });

        return [join, leave, groups, members];
    }
}
