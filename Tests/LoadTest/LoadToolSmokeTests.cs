using System.Diagnostics;
using System.Text.Json;
using OrleansChat.Tests.Infrastructure;

namespace OrleansChat.Tests.LoadTest;

/// <summary>
/// A short run of the load tool (as a real process) against the real gateway and against its yardstick:
/// it must connect, publish, and account for every delivery. Not a timed test; the benchmarks are.
/// </summary>
public sealed class LoadToolSmokeTests
{
    [Fact]
    public async Task FanoutAgainstTheGateway_EveryDeliveryAccountedFor()
    {
        await using var host = await GatewayHost.StartAsync(("Limits:Enabled", "false"));

        var result = await RunLoadToolAsync("fanout", "--url", host.HttpUri.ToString(), "--sockets", "24", "--groups", "3", "--rate", "20", "--duration", "2", "--warmup", "1", "--server-pid", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));

        AssertEveryDeliveryAccountedFor(result);
        Assert.True(result.GetProperty("server").GetProperty("peakRssMiB").GetInt64() > 0);
        Assert.True(result.GetProperty("server").GetProperty("cpuSecondsPer1000Deliveries").GetDouble() > 0);
        AssertRuntimeCountersRead(result);
    }

    [Fact]
    public async Task DirectMessagesAgainstTheGateway_EveryDeliveryAccountedFor()
    {
        await using var host = await GatewayHost.StartAsync(("Limits:Enabled", "false"));

        var result = await RunLoadToolAsync("fanout", "--direct", "--url", host.HttpUri.ToString(), "--sockets", "16", "--sockets-per-user", "2", "--rate", "20", "--duration", "2", "--warmup", "1");

        Assert.Equal("direct", result.GetProperty("mode").GetString());
        AssertEveryDeliveryAccountedFor(result);
    }

    [Fact]
    public async Task FanoutAgainstTheYardstick_EveryDeliveryAccountedFor()
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        using var yardstick = StartLoadTool("yardstick", "--urls", url);
        try
        {
            await Eventually.TrueAsync(async () => await AnswersAsync(url), "the yardstick listens");

            var result = await RunLoadToolAsync(
                "fanout", "--url", url, "--sockets", "24", "--groups", "3", "--rate", "20", "--duration", "2", "--warmup", "1", "--lower-rate", "10", "--lower-duration", "3");

            AssertEveryDeliveryAccountedFor(result);
            AssertRuntimeCountersRead(result);
            var lowered = result.GetProperty("lowered");
            Assert.Equal(10, lowered.GetProperty("ratePerPublisher").GetDouble());
            Assert.True(lowered.GetProperty("settledLatencyMs").GetProperty("p50").GetDouble() > 0, "messages sent 2 s after lowering the rate were measured");
        }
        finally
        {
            yardstick.Kill(entireProcessTree: true);
            await yardstick.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task ConnectionsMode_HoldsAuthenticatedSockets()
    {
        await using var host = await GatewayHost.StartAsync();

        var result = await RunLoadToolAsync("connections", "--url", host.HttpUri.ToString(), "--sockets", "40", "--groups", "4", "--hold", "0");

        Assert.Equal(40, result.GetProperty("connected").GetInt32());
        Assert.Equal(0, result.GetProperty("connectErrors").GetInt32());
    }

    private static void AssertEveryDeliveryAccountedFor(JsonElement result)
    {
        Assert.True(result.GetProperty("published").GetInt64() > 0);
        Assert.Equal(result.GetProperty("published").GetInt64(), result.GetProperty("acked").GetInt64());
        Assert.True(result.GetProperty("expectedDeliveries").GetInt64() > 0);
        Assert.Equal(result.GetProperty("expectedDeliveries").GetInt64(), result.GetProperty("receivedDeliveries").GetInt64());
        foreach (var counter in new[] { "lost", "duplicates", "outOfOrder", "gaps", "closedByServer" })
        {
            Assert.Equal(0, result.GetProperty(counter).GetInt64());
        }
    }

    private static void AssertRuntimeCountersRead(JsonElement result)
    {
        var runtime = result.GetProperty("runtime");
        Assert.True(runtime.GetProperty("allocatedBytesPerDelivery").GetDouble() > 0, $"no allocations read: {runtime}");
        Assert.True(runtime.GetProperty("threadPoolQueue").ValueKind == JsonValueKind.Object, $"no queue length sampled: {runtime}");
    }

    private static async Task<bool> AnswersAsync(string url)
    {
        try
        {
            await using var socket = await OrleansChat.Client.ChatSocket.ConnectAsync(new Uri(url));
            return true;
        }
        catch (System.Net.WebSockets.WebSocketException)
        {
            return false;
        }
    }

    private static async Task<JsonElement> RunLoadToolAsync(params string[] args)
    {
        using var process = StartLoadTool(args);
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True(process.ExitCode == 0, $"load tool exited {process.ExitCode}: {await errors}");
        return JsonDocument.Parse(await output).RootElement;
    }

    private static Process StartLoadTool(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(RepositoryPaths.OutputOf("LoadTest", "OrleansChat.LoadTest.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }
}
