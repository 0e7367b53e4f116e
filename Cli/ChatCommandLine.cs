using System.CommandLine;
using System.Net.WebSockets;
using OrleansChat.Cli.Commands;
using OrleansChat.Client;

namespace OrleansChat.Cli;

/// <summary>The command tree and what every command shares: --url, --json, and turning failures into exit codes.</summary>
internal static class ChatCommandLine
{
    public const int Failed = 1;
    public const int Unreachable = 2;

    private const string DefaultUrl = "http://127.0.0.1:5000";

    private static readonly Option<Uri> UrlOption = new("--url")
    {
        Description = "Server address (default: $ORLEANSCHAT_URL, else " + DefaultUrl + ")",
        Recursive = true,
        DefaultValueFactory = _ => new Uri(Environment.GetEnvironmentVariable("ORLEANSCHAT_URL") is { Length: > 0 } url ? url : DefaultUrl),
        CustomParser = result =>
        {
            var text = result.Tokens.Single().Value;
            if (Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "http" or "https" or "ws" or "wss")
            {
                return url;
            }

            result.AddError($"--url must be an absolute http(s) or ws(s) address, not '{text}'");
            return null;
        },
    };

    private static readonly Option<bool> JsonOption = new("--json")
    {
        Description = "Print one JSON object per line instead of text for people",
        Recursive = true,
    };

    /// <summary>No response files: a word starting with '@' names a direct conversation (<see cref="ChatTarget"/>).</summary>
    public static ParserConfiguration Parsing { get; } = new() { ResponseFileTokenReplacer = null };

    public static RootCommand Build()
    {
        var root = new RootCommand("Command-line client for OrleansChat");
        root.Options.Add(UrlOption);
        root.Options.Add(JsonOption);
        foreach (var command in AccountCommands.Build().Concat(GroupCommands.Build()).Concat(MessageCommands.Build()).Concat(DirectCommands.Build()).Concat(ModerationCommands.Build()).Concat(LiveCommands.Build()))
        {
            root.Subcommands.Add(command);
        }

        return root;
    }

    /// <summary>Runs a command body with the shared context; expected failures become a message on stderr and an exit code.</summary>
    public static void SetBody(this Command command, Func<ParseResult, CliContext, CancellationToken, Task> body) =>
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var context = new CliContext(parseResult.GetValue(UrlOption)!, new Output(parseResult.GetValue(JsonOption)), new TokenStore());
            try
            {
                await body(parseResult, context, cancellationToken);
                return 0;
            }
            catch (ChatErrorException ex)
            {
                Output.Error($"{ex.Message} ({ex.Code})");
                return Failed;
            }
            catch (CliException ex)
            {
                Output.Error(ex.Message);
                return ex.InnerException is WebSocketException ? Unreachable : Failed;
            }
            catch (Exception ex) when (ex is ChatDisconnectedException or WebSocketException or TimeoutException)
            {
                Output.Error($"lost the connection to {context.Server}: {ex.Message}");
                return Unreachable;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return 0;
            }
        });
}
