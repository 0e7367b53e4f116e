using Spectre.Console;

namespace OrleansChat.Cli;

/// <summary>Passwords come from stdin (--password-stdin) or a hidden prompt, never from an argument.</summary>
internal static class PasswordReader
{
    public static string Read(bool fromStdin)
    {
        if (fromStdin)
        {
            return Console.In.ReadLine() ?? throw new CliException("no password on standard input");
        }

        if (Console.IsInputRedirected)
        {
            throw new CliException("standard input is not a terminal: pass the password with --password-stdin");
        }

        return AnsiConsole.Prompt(new TextPrompt<string>("Password:").Secret());
    }
}
