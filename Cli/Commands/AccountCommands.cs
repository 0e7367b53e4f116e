using System.CommandLine;

namespace OrleansChat.Cli.Commands;

internal static class AccountCommands
{
    public static IEnumerable<Command> Build()
    {
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password from the first line of standard input" };

        var username = new Argument<string>("user") { Description = "Username" };
        var register = new Command("register", "Create an account (does not log in)") { username, passwordStdin };
        register.SetBody(async (parse, context, cancellationToken) =>
        {
            var password = PasswordReader.Read(parse.GetValue(passwordStdin));
            await using var client = await context.ConnectAsync(reconnect: false, cancellationToken);
            var account = await client.RegisterAsync(parse.GetValue(username)!, password, cancellationToken);
            context.Output.Result(new { account.UserId, account.Username }, $"registered {account.Username}");
        });

        var login = new Command("login", "Log in and remember the token for this server") { username, passwordStdin };
        login.SetBody(async (parse, context, cancellationToken) =>
        {
            var password = PasswordReader.Read(parse.GetValue(passwordStdin));
            await using var client = await context.ConnectAsync(reconnect: false, cancellationToken);
            var result = await client.LoginAsync(parse.GetValue(username)!, password, cancellationToken);
            context.Tokens.Set(context.Server, result.Token);
            context.Output.Result(new { result.UserId, result.Username, expiresAt = Output.WireTime(result.ExpiresAt) }, $"logged in as {result.Username} until {result.ExpiresAt.ToLocalTime():g}");
        });

        var logout = new Command("logout", "Forget the token stored for this server");
        logout.SetBody((_, context, _) =>
        {
            var forgotten = context.Tokens.Remove(context.Server);
            context.Output.Result(new { loggedOut = forgotten }, forgotten ? "logged out" : "was not logged in");
            return Task.CompletedTask;
        });

        return [register, login, logout];
    }
}
