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

        var logout = new Command("logout", "End the login on the server and forget the token stored for this server");
        logout.SetBody(async (_, context, cancellationToken) =>
        {
            if (context.Tokens.Get(context.Server) is not null)
            {
                await EndSessionAsync(context, cancellationToken);
            }

            var forgotten = context.Tokens.Remove(context.Server);
            context.Output.Result(new { loggedOut = forgotten }, forgotten ? "logged out" : "was not logged in");
        });

        return [register, login, logout];
    }

    /// <summary>Ends the stored token's session; one that has already expired or ended needs nothing more.</summary>
    private static async Task EndSessionAsync(CliContext context, CancellationToken cancellationToken)
    {
        try
        {
            await using var client = await context.ConnectAuthenticatedAsync(cancellationToken);
            await client.LogoutAsync(cancellationToken);
        }
        catch (CliException)
        {
        }
    }
}
