using System.Text.Json.Nodes;

namespace OrleansChat.Tests.Deploy;

/// <summary>The Kubernetes deployment, checked as rendered, without a cluster.</summary>
public sealed class KubernetesManifestTests : IAsyncLifetime
{
    private List<JsonObject> _objects = [];

    public async Task InitializeAsync() => _objects = await RenderedManifests.RenderAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public void Renders_TheWholeDeployment()
    {
        var kinds = _objects.Select(o => $"{o["kind"]}/{o["metadata"]!["name"]}").ToList();

        Assert.Contains("StatefulSet/redis", kinds);
        Assert.Contains("Deployment/silo", kinds);
        Assert.Contains("Deployment/gateway", kinds);
        Assert.Contains("Service/gateway", kinds);
        Assert.Contains("PodDisruptionBudget/silo", kinds);
        Assert.Contains("HorizontalPodAutoscaler/gateway", kinds);
        Assert.All(_objects.Where(o => Kind(o) != "Namespace"), o => Assert.Equal("orleanschat", (string?)o["metadata"]!["namespace"]));
    }

    [Fact]
    public void EveryContainer_HasProbesResourcesAndAPinnedImage()
    {
        foreach (var (workload, container) in Containers())
        {
            var name = $"{workload}/{container["name"]}";
            Assert.True(container["readinessProbe"] is JsonObject, $"{name} has no readiness probe");
            Assert.True(container["livenessProbe"] is JsonObject, $"{name} has no liveness probe");
            foreach (var resource in new[] { "cpu", "memory" })
            {
                Assert.True(container["resources"]?["requests"]?[resource] is not null, $"{name} requests no {resource}");
                Assert.True(container["resources"]?["limits"]?[resource] is not null, $"{name} has no {resource} limit");
            }

            var image = (string)container["image"]!;
            var tag = image.Contains(':', StringComparison.Ordinal) ? image[(image.LastIndexOf(':') + 1)..] : "";
            Assert.True(tag.Length > 0 && tag != "latest", $"{name} image {image} is not pinned to a version");
        }
    }

    [Fact]
    public void Selectors_MatchTheLabelsTheyTarget()
    {
        foreach (var workload in Workloads())
        {
            var selector = workload["spec"]!["selector"]!["matchLabels"]!.AsObject();
            var labels = workload["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
            Assert.All(selector, pair => Assert.Equal((string?)pair.Value, (string?)labels[pair.Key]));
        }

        var podLabels = Workloads().Select(w => w["spec"]!["template"]!["metadata"]!["labels"]!.AsObject()).ToList();
        foreach (var selecting in _objects.Where(o => Kind(o) is "Service" or "PodDisruptionBudget"))
        {
            var selector = (selecting["spec"]!["selector"]!["matchLabels"] ?? selecting["spec"]!["selector"])!.AsObject();
            Assert.True(
                podLabels.Any(labels => selector.All(pair => (string?)labels[pair.Key] == (string?)pair.Value)),
                $"{Kind(selecting)}/{selecting["metadata"]!["name"]} selects no pods");
        }

        var hpaTarget = _objects.Single(o => Kind(o) == "HorizontalPodAutoscaler")["spec"]!["scaleTargetRef"]!;
        Assert.Contains(Workloads(), w => Kind(w) == (string?)hpaTarget["kind"] && (string?)w["metadata"]!["name"] == (string?)hpaTarget["name"]);
    }

    [Fact]
    public void SilosAndGateways_ShareRedisAndClusterIdentity()
    {
        var silo = Container("silo");
        var gateway = Container("gateway");
        var configMap = ConfigMapOf(silo);

        Assert.Equal(ConfigMapOf(gateway)["metadata"]!["name"]!.ToString(), configMap["metadata"]!["name"]!.ToString());
        var data = configMap["data"]!;
        Assert.False(string.IsNullOrEmpty((string?)data["Orleans__ClusterId"]));
        Assert.False(string.IsNullOrEmpty((string?)data["Orleans__ServiceId"]));
        var redis = ((string)data["ConnectionStrings__Redis"]!).Split(':');
        var redisService = _objects.Single(o => Kind(o) == "Service" && (string?)o["metadata"]!["name"] == redis[0]);
        Assert.Contains(redisService["spec"]!["ports"]!.AsArray(), port => (string?)port!["port"] == redis[1]);

        Assert.Equal("client", Env(gateway, "Gateway__Mode")?["value"]?.ToString());
        Assert.Equal("status.podIP", Env(silo, "POD_IP")?["valueFrom"]?["fieldRef"]?["fieldPath"]?.ToString());
        Assert.Equal("metadata.name", Env(silo, "POD_NAME")?["valueFrom"]?["fieldRef"]?["fieldPath"]?.ToString());
        Assert.Equal("$(POD_IP)", Env(silo, "Orleans__Endpoints__AdvertisedIPAddress")?["value"]?.ToString());
    }

    [Fact]
    public void Probes_UseTheGatewaysHealthEndpoints_AndSilosOutliveTheirShutdown()
    {
        var gateway = Container("gateway");
        Assert.Equal("/readyz", gateway["readinessProbe"]!["httpGet"]!["path"]!.ToString());
        Assert.Equal("/healthz", gateway["livenessProbe"]!["httpGet"]!["path"]!.ToString());

        var silo = Workloads().Single(w => (string?)w["metadata"]!["name"] == "silo");
        // Orleans' graceful shutdown takes up to the host's 30 s shutdown timeout.
        Assert.True(int.Parse((string)silo["spec"]!["template"]!["spec"]!["terminationGracePeriodSeconds"]!, System.Globalization.CultureInfo.InvariantCulture) > 30);
        var redis = Workloads().Single(w => Kind(w) == "StatefulSet");
        Assert.Contains("--appendonly", redis["spec"]!["template"]!["spec"]!["containers"]![0]!["args"]!.AsArray().Select(a => (string?)a));
        Assert.NotEmpty(redis["spec"]!["volumeClaimTemplates"]!.AsArray());
    }

    private static string? Kind(JsonObject o) => (string?)o["kind"];

    private IEnumerable<JsonObject> Workloads() => _objects.Where(o => Kind(o) is "Deployment" or "StatefulSet");

    private IEnumerable<(string Workload, JsonObject Container)> Containers() =>
        Workloads().SelectMany(w => w["spec"]!["template"]!["spec"]!["containers"]!.AsArray()
            .Select(c => ((string)w["metadata"]!["name"]!, c!.AsObject())));

    private JsonObject Container(string workload) => Containers().Single(c => c.Workload == workload).Container;

    private JsonObject ConfigMapOf(JsonObject container)
    {
        var name = (string?)container["envFrom"]![0]!["configMapRef"]!["name"];
        return _objects.Single(o => Kind(o) == "ConfigMap" && (string?)o["metadata"]!["name"] == name);
    }

    private static JsonNode? Env(JsonObject container, string name) =>
        container["env"]?.AsArray().FirstOrDefault(e => (string?)e!["name"] == name);
}
