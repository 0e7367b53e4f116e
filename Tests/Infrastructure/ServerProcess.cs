using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace OrleansChat.Tests.Infrastructure;

/// <summary>
/// The gateway or a silo run as a real process on free loopback ports, with what it prints kept for the
/// test to read; stopped (SIGTERM, then killed) by its own handle.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process, Uri httpUri)
    {
        _process = process;
        HttpUri = httpUri;
        Http = new HttpClient { BaseAddress = httpUri };
        process.OutputDataReceived += (_, line) => Append(line.Data);
        process.ErrorDataReceived += (_, line) => Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri HttpUri { get; }

    public HttpClient Http { get; }

    /// <summary>Everything printed so far, stdout and stderr, one line per line.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts `project` (Gateway or Silo) with these configuration keys and waits until /healthz answers.</summary>
    public static async Task<ServerProcess> StartAsync(string project, params (string Key, string Value)[] settings)
    {
        var httpUri = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(RepositoryPaths.OutputOf(project, $"OrleansChat.{project}.dll"));
        foreach (var argument in new[] { $"--urls={httpUri}", $"--contentRoot={RepositoryPaths.Path(project)}" }
            .Concat(settings.Select(setting => $"--{setting.Key}={setting.Value}")))
        {
            start.ArgumentList.Add(argument);
        }

        var server = new ServerProcess(Process.Start(start)!, httpUri);
        try
        {
            await Eventually.TrueAsync(async () => await server.AnswersAsync("/healthz"), $"{project} answers /healthz", TimeSpan.FromSeconds(60));
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGTERM, as Kubernetes stops a pod; the process shuts down gracefully and flushes its logs.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        using var term = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        await term.WaitForExitAsync();
        try
        {
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Http.Dispose();
        _process.Dispose();
    }

    private async Task<bool> AnswersAsync(string path)
    {
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"the process exited with {_process.ExitCode}:\n{Output}");
        }

        try
        {
            using var response = await Http.GetAsync(path);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
