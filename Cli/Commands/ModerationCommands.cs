using System.CommandLine;

namespace OrleansChat.Cli.Commands;

/// <summary>Creating groups (public or private) and what owners and admins do: invite, kick, ban, roles, deletion.</summary>
internal static class ModerationCommands
{
    private static readonly (string Name, string Description)[] Actions =
    [
        ("invite", "Invite a user to a group (a private group lets in only invited users)"),
        ("kick", "Remove a member from a group"),
        ("ban", "Remove a user from a group and keep them out"),
        ("unban", "Let a banned user join a group again"),
        ("promote", "Make a member an admin"),
        ("demote", "Make an admin a member again (owner only)"),
        ("transfer", "Hand a group to another member; you become an admin (owner only)"),
    ];

    public static IEnumerable<Command> Build()
    {
        var group = new Argument<string>("group") { Description = "Group name" };

        var isPrivate = new Option<bool>("--private") { Description = "Only invited users may join" };
        var create = new Command("create", "Create a group, with you as its owner") { group, isPrivate };
        create.SetBody(async (parse, context, cancellationToken) =>
        {
            await using var client = await context.ConnectAuthenticatedAsync(cancellationToken);
            var created = await client.CreateAsync(parse.GetValue(group)!, parse.GetValue(isPrivate), cancellationToken);
            context.Output.Result(new { created.Group, created.Visibility, created.Role }, $"created {created.Visibility} group {created.Group}");
        });

        var delete = new Command("delete-group", "Delete a group you own (its name stays taken)") { group };
        delete.SetBody(async (parse, context, cancellationToken) =>
        {
            await using var client = await context.ConnectAuthenticatedAsync(cancellationToken);
            await client.DeleteGroupAsync(parse.GetValue(group)!, cancellationToken);
            context.Output.Result(new { group = parse.GetValue(group) }, $"deleted {parse.GetValue(group)}");
        });

        return [create, delete, .. Actions.Select(action => ActionCommand(action.Name, action.Description, group))];
    }

    private static Command ActionCommand(string name, string description, Argument<string> group)
    {
        var user = new Argument<string>("user") { Description = "Username of the user acted on" };
        var command = new Command(name, description) { group, user };
        command.SetBody(async (parse, context, cancellationToken) =>
        {
            await using var client = await context.ConnectAuthenticatedAsync(cancellationToken);
            var target = await client.ModerateAsync(name, parse.GetValue(group)!, parse.GetValue(user)!, cancellationToken);
            context.Output.Result(new { group = parse.GetValue(group), user = target, action = name }, $"{name}: {TerminalText.Escape(target)} in {parse.GetValue(group)}");
        });
        return command;
    }
}
