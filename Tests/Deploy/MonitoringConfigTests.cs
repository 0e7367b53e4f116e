using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OrleansChat.Tests.Infrastructure;
using YamlDotNet.Serialization;

namespace OrleansChat.Tests.Deploy;

/// <summary>
/// deploy/monitoring: the Grafana dashboard plots only series the gateway and silos export, and Prometheus
/// scrapes the port the Kubernetes manifests name "metrics" on both.
/// </summary>
[Collection(ProcessWideMetricsCollection.Name)]
public sealed partial class MonitoringConfigTests
{
    [Fact]
    public async Task Dashboard_QueriesOnlySeriesTheServersExport()
    {
        var dashboard = JsonNode.Parse(await File.ReadAllTextAsync(RepositoryPaths.Path("deploy", "monitoring", "grafana-dashboard.json")))!;
        var queried = dashboard["panels"]!.AsArray()
            .SelectMany(panel => panel!["targets"]!.AsArray().Select(target => (string)target!["expr"]!))
            .SelectMany(expr => SeriesName().Matches(expr).Select(match => match.Value))
            .Select(name => Regex.Replace(name, "_(bucket|count|sum)$", ""))
            .ToHashSet();

        await using var host = await GatewayHost.StartAsync();
        await using var room = await ChatRoom.OpenAsync(host, 1);
        await room[0].Socket.PublishAsync(room.Group, "one");
        var scrape = await PrometheusScrape.ReadAsync(host.Http);
        var declared = InstrumentName().Matches(await File.ReadAllTextAsync(RepositoryPaths.Path("Gateway", "Metrics", "GatewayMetrics.cs")))
            .Select(match => match.Groups[1].Value.Replace('.', '_'))
            .ToHashSet();

        Assert.NotEmpty(queried);
        foreach (var name in queried)
        {
            // Counters of rare events appear once they first count; those must at least be declared.
            var instrument = Regex.Replace(name, "_(total|seconds)$", "");
            Assert.True(scrape.Has(name) || scrape.Has(name + "_bucket") || declared.Contains(instrument), $"{name} is not exported");
        }
    }

    [Fact]
    public async Task Prometheus_ScrapesTheMetricsPortOfGatewaysAndSilos_WhereTheyServeMetrics()
    {
        var config = JsonNode.Parse(JsonSerializer.Serialize(new DeserializerBuilder().Build()
            .Deserialize<Dictionary<string, object>>(await File.ReadAllTextAsync(RepositoryPaths.Path("deploy", "monitoring", "prometheus.yml")))))!;
        var job = config["scrape_configs"]![0]!;
        var keeps = job["relabel_configs"]!.AsArray().Where(rule => (string?)rule!["action"] == "keep").Select(rule => (string)rule!["regex"]!).ToList();
        var manifests = await RenderedManifests.RenderAsync();

        Assert.Equal("/metrics", (string?)job["metrics_path"]);
        Assert.Equal(["gateway|silo", "metrics"], keeps);
        foreach (var workload in new[] { "gateway", "silo" })
        {
            var container = manifests.Single(o => (string?)o["kind"] == "Deployment" && (string?)o["metadata"]!["name"] == workload)
                ["spec"]!["template"]!["spec"]!["containers"]![0]!;
            var metricsPort = (string)container["ports"]!.AsArray().Single(port => (string?)port!["name"] == "metrics")!["containerPort"]!;
            var env = container["env"]!.AsArray();
            Assert.Contains(env, e => (string?)e!["name"] == "Telemetry__MetricsPort" && (string?)e["value"] == metricsPort);
            Assert.Contains(env, e => (string?)e!["name"] == "ASPNETCORE_URLS" && ((string)e["value"]!).Contains($":{metricsPort}", StringComparison.Ordinal));
        }
    }

    [GeneratedRegex(@"""(orleanschat\.[a-z0-9._]+)""")]
    private static partial Regex InstrumentName();

    [GeneratedRegex(@"\b(orleanschat|orleans|dotnet)_[a-z0-9_]+")]
    private static partial Regex SeriesName();
}
