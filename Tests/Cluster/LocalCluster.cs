using System.Diagnostics;
using OrleansChat.Tests.Infrastructure;

namespace OrleansChat.Tests.Cluster;

/// <summary>
/// deploy/local-cluster.sh run by a test: redis-server, two silos and two client-mode gateways as real
/// processes on free loopback ports. Processes are killed by the PIDs the script recorded; disposing
/// stops whatever is left.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private readonly string _state;
    private Dictionary<string, string> _env = [];

    private LocalCluster(string state) => _state = state;

    public Uri Gateway1 => new(_env["GATEWAY1"]);

    public Uri Gateway2 => new(_env["GATEWAY2"]);

    public static async Task<LocalCluster> StartAsync()
    {
        var cluster = new LocalCluster(Directory.CreateTempSubdirectory("orleanschat-cluster-").FullName);
        await cluster.StartAgainAsync();
        return cluster;
    }

    /// <summary>Starts every process (again), keeping the Redis data of an earlier start.</summary>
    public async Task StartAgainAsync()
    {
        await RunScriptAsync("start", _state);
        ReadEnvironment();
    }

    /// <summary>Starts one silo (again), joining the running cluster.</summary>
    public async Task StartSiloAsync(string name)
    {
        await RunScriptAsync("start-silo", name, _state);
        ReadEnvironment();
    }

    public Task StopAsync() => RunScriptAsync("stop", _state);

    /// <summary>SIGKILL: no goodbye to the cluster, as when a machine dies.</summary>
    public async Task KillAsync(string name)
    {
        using var process = Process.GetProcessById(int.Parse(_env[$"{name.ToUpperInvariant()}_PID"], System.Globalization.CultureInfo.InvariantCulture));
        process.Kill();
        await process.WaitForExitAsync();
    }

    /// <summary>SIGSTOP: the process stops answering but keeps its connections open, as a hung machine does.</summary>
    public Task PauseAsync(string name) => SignalAsync(name, "-STOP");

    /// <summary>SIGCONT: a paused process goes on where it stopped.</summary>
    public Task ResumeAsync(string name) => SignalAsync(name, "-CONT");

    /// <summary>SIGTERM: the process shuts down gracefully.</summary>
    public async Task TerminateAsync(string name)
    {
        var pid = int.Parse(_env[$"{name.ToUpperInvariant()}_PID"], System.Globalization.CultureInfo.InvariantCulture);
        using var process = Process.GetProcessById(pid);
        using var kill = Process.Start("kill", ["-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_state, recursive: true);
    }

    private async Task SignalAsync(string name, string signal)
    {
        using var kill = Process.Start("kill", [signal, _env[$"{name.ToUpperInvariant()}_PID"]]);
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    private void ReadEnvironment() =>
        _env = File.ReadAllLines(Path.Combine(_state, "cluster.env"))
            .Select(line => line.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1]);

    private static async Task RunScriptAsync(string command, params string[] args)
    {
        var start = new ProcessStartInfo("bash")
        {
            ArgumentList = { RepositoryPaths.Path("deploy", "local-cluster.sh"), command },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // The processes inherit this environment. These tests are about failover, not abuse limits or
            // overload (a silo's restart makes deliveries late on purpose).
            Environment = { ["CONFIGURATION"] = RepositoryPaths.Configuration, ["Limits__Enabled"] = "false", ["Gateway__Overload__Enabled"] = "false" },
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        }
        catch (TimeoutException)
        {
            // A hung script must not outlive the test (nor keep the processes it started).
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"local-cluster.sh {command} failed: {await output}{await errors}");
        }
    }
}
