using System.Diagnostics;
using System.Threading.Channels;
using OrleansChat.Tests.Infrastructure;

namespace OrleansChat.Tests.Cli;

/// <summary>The command-line client run as a real process, with its own config folder; killed by its handle.</summary>
public sealed class CliProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _stdout = Channel.CreateUnbounded<string>();
    private readonly Channel<string> _stderr = Channel.CreateUnbounded<string>();

    private CliProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, line) => Forward(_stdout, line.Data);
        process.ErrorDataReceived += (_, line) => Forward(_stderr, line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static CliProcess Start(string configHome, string? stdin, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["XDG_CONFIG_HOME"] = configHome, ["ORLEANSCHAT_URL"] = null },
        };
        start.ArgumentList.Add(RepositoryPaths.OutputOf("Cli", "OrleansChat.Cli.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = new CliProcess(Process.Start(start)!);
        if (stdin is not null)
        {
            process._process.StandardInput.WriteLine(stdin);
        }

        process._process.StandardInput.Close();
        return process;
    }

    /// <summary>Runs a command to completion: its exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string configHome, string? stdin, params string[] args)
    {
        await using var process = Start(configHome, stdin, args);
        await process._process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process._process.ExitCode, await ReadAll(process._stdout), await ReadAll(process._stderr));
    }

    public async Task<string> NextStdoutLineAsync() => await _stdout.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

    public async Task<string> NextStderrLineAsync() => await _stderr.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private static void Forward(Channel<string> lines, string? line)
    {
        if (line is null)
        {
            lines.Writer.TryComplete();
        }
        else
        {
            lines.Writer.TryWrite(line);
        }
    }

    private static async Task<string> ReadAll(Channel<string> lines)
    {
        var all = new List<string>();
        await foreach (var line in lines.Reader.ReadAllAsync())
        {
            all.Add(line);
        }

        return string.Join('\n', all);
    }
}
