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
        Assert.Contains("PodDisruptionBudget/gateway", kinds);
        Assert.Contains("Ingress/gateway", kinds);
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
    public void SilosAndGateways_ShareRedisAndClusterIdentity_ConnectionStringOnlyFromASecret()
    {
        var silo = Container("silo");
        var gateway = Container("gateway");
        var configMap = ConfigMapOf(silo);

        Assert.Equal(ConfigMapOf(gateway)["metadata"]!["name"]!.ToString(), configMap["metadata"]!["name"]!.ToString());
        var data = configMap["data"]!;
        Assert.False(string.IsNullOrEmpty((string?)data["Orleans__ClusterId"]));
        Assert.False(string.IsNullOrEmpty((string?)data["Orleans__ServiceId"]));
        Assert.All(_objects.Where(o => Kind(o) == "ConfigMap"), map =>
            Assert.DoesNotContain(map["data"]!.AsObject(), entry => entry.Key.StartsWith("ConnectionStrings", StringComparison.Ordinal)));
        foreach (var container in new[] { silo, gateway })
        {
            var secret = Env(container, "ConnectionStrings__Redis")?["valueFrom"]?["secretKeyRef"];
            Assert.Equal(("orleanschat-redis", "connection-string"), ((string?)secret?["name"], (string?)secret?["key"]));
        }

        // Redis itself requires the password kept in the same Secret.
        var redis = Container("redis");
        Assert.Equal(("orleanschat-redis", "password"), ((string?)Env(redis, "REDIS_PASSWORD")?["valueFrom"]?["secretKeyRef"]?["name"], (string?)Env(redis, "REDIS_PASSWORD")?["valueFrom"]?["secretKeyRef"]?["key"]));
        var args = redis["args"]!.AsArray().Select(a => (string?)a).ToList();
        Assert.Equal("$(REDIS_PASSWORD)", args[args.IndexOf("--requirepass") + 1]);

        Assert.Equal("client", Env(gateway, "Gateway__Mode")?["value"]?.ToString());
        Assert.Equal("status.podIP", Env(silo, "POD_IP")?["valueFrom"]?["fieldRef"]?["fieldPath"]?.ToString());
        Assert.Equal("metadata.name", Env(silo, "POD_NAME")?["valueFrom"]?["fieldRef"]?["fieldPath"]?.ToString());
        Assert.Equal("$(POD_IP)", Env(silo, "Orleans__Endpoints__AdvertisedIPAddress")?["value"]?.ToString());
    }

    [Fact]
    public void Probes_UseTheHealthEndpointsOfGatewaysAndSilos_AndRedisPersistsToAVolume()
    {
        foreach (var workload in new[] { "gateway", "silo" })
        {
            var container = Container(workload);
            Assert.Equal(("/readyz", "http"), ((string?)container["readinessProbe"]!["httpGet"]!["path"], (string?)container["readinessProbe"]!["httpGet"]!["port"]));
            Assert.Equal(("/healthz", "http"), ((string?)container["livenessProbe"]!["httpGet"]!["path"], (string?)container["livenessProbe"]!["httpGet"]!["port"]));
        }

        var redis = Workloads().Single(w => Kind(w) == "StatefulSet");
        Assert.Contains("--appendonly", redis["spec"]!["template"]!["spec"]!["containers"]![0]!["args"]!.AsArray().Select(a => (string?)a));
        Assert.NotEmpty(redis["spec"]!["volumeClaimTemplates"]!.AsArray());
    }

    [Fact]
    public void EveryPod_RunsLockedDown()
    {
        foreach (var workload in Workloads())
        {
            var name = (string)workload["metadata"]!["name"]!;
            var pod = workload["spec"]!["template"]!["spec"]!;
            Assert.True((string?)pod["automountServiceAccountToken"] == "false", $"{name} mounts a service-account token");
            Assert.True((string?)pod["securityContext"]?["runAsNonRoot"] == "true", $"{name} may run as root");
            Assert.Equal("RuntimeDefault", (string?)pod["securityContext"]?["seccompProfile"]?["type"]);
            foreach (var container in pod["containers"]!.AsArray())
            {
                var security = container!["securityContext"];
                Assert.True((string?)security?["readOnlyRootFilesystem"] == "true", $"{name} has a writable root filesystem");
                Assert.True((string?)security?["allowPrivilegeEscalation"] == "false", $"{name} allows privilege escalation");
                Assert.Equal(["ALL"], security?["capabilities"]?["drop"]?.AsArray().Select(c => (string?)c));
            }
        }
    }

    [Fact]
    public void SilosAndGateways_HaveDisruptionBudgetsAndTimeToHandOver()
    {
        foreach (var name in new[] { "silo", "gateway" })
        {
            var budget = _objects.Single(o => Kind(o) == "PodDisruptionBudget" && (string?)o["metadata"]!["name"] == name);
            Assert.Equal(name, (string?)budget["spec"]!["selector"]!["matchLabels"]!["app.kubernetes.io/name"]);
            Assert.True(budget["spec"]!["minAvailable"] is not null || budget["spec"]!["maxUnavailable"] is not null);
        }

        // A silo hands its grains over within Orleans' 30 s graceful shutdown; a gateway answers requests in flight.
        Assert.True(GracePeriod("silo") > 30);
        Assert.True(GracePeriod("gateway") >= 30);
    }

    [Fact]
    public void NetworkPolicies_AllowOnlyTheConnectionsTheClusterNeeds()
    {
        var policies = _objects.Where(o => Kind(o) == "NetworkPolicy").ToList();
        Assert.Contains(policies, p => p["spec"]!["podSelector"]!.AsObject().Count == 0 && p["spec"]!["ingress"] is null);

        Assert.Equal([("namespace:ingress-nginx", "http"), ("namespace:monitoring", "metrics")], IngressOf(policies, "gateway"));
        Assert.Equal([("gateway", "gateway"), ("namespace:monitoring", "metrics"), ("silo", "silo")], IngressOf(policies, "silo").Order());
        Assert.Equal([("gateway", "redis"), ("silo", "redis")], IngressOf(policies, "redis").Order());
        Assert.Equal("ClusterIP", (string?)_objects.Single(o => Kind(o) == "Service" && (string?)o["metadata"]!["name"] == "gateway")["spec"]!["type"]);
    }

    [Fact]
    public void Ingress_TerminatesTlsForItsHost_WithWebSocketTimeouts_AndGatewaysSendHstsAndTrustItsForwardedFor()
    {
        var ingress = _objects.Single(o => Kind(o) == "Ingress");
        var host = (string)ingress["spec"]!["rules"]![0]!["host"]!;
        Assert.Contains(ingress["spec"]!["tls"]!.AsArray(), tls => tls!["hosts"]!.AsArray().Any(h => (string?)h == host) && tls["secretName"] is not null);
        var annotations = ingress["metadata"]!["annotations"]!;
        Assert.Equal("true", (string?)annotations["nginx.ingress.kubernetes.io/force-ssl-redirect"]);
        Assert.True(int.Parse((string)annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"]!, System.Globalization.CultureInfo.InvariantCulture) >= 60);

        var gateway = Container("gateway");
        Assert.False(string.IsNullOrEmpty((string?)Env(gateway, "Gateway__TrustedProxyNetworks__0")?["value"]), "the gateways trust the ingress controller's X-Forwarded-For");
        Assert.Equal($"https://{host}", (string?)Env(gateway, "Gateway__AllowedOrigins__0")?["value"]);
        Assert.StartsWith("max-age=", (string?)Env(gateway, "Gateway__StrictTransportSecurity")?["value"], StringComparison.Ordinal);
    }

    /// <summary>Each rule of the policy for one kind of pod, as (the pods it admits, by name or null for any; the port).</summary>
    private static List<(string? From, string Port)> IngressOf(List<JsonObject> policies, string pods)
    {
        var policy = policies.Single(p => (string?)p["spec"]!["podSelector"]!["matchLabels"]?["app.kubernetes.io/name"] == pods);
        return policy["spec"]!["ingress"]!.AsArray()
            .SelectMany(rule => (rule!["from"]?.AsArray().Select(From) ?? [null])
                .SelectMany(from => rule["ports"]!.AsArray().Select(port => (from, (string)port!["port"]!))))
            .ToList();
    }

    /// <summary>A rule's source: the pods' name, or "namespace:" and the namespace's name.</summary>
    private static string? From(JsonNode? from) =>
        (string?)from!["podSelector"]?["matchLabels"]?["app.kubernetes.io/name"]
        ?? $"namespace:{(string?)from["namespaceSelector"]?["matchLabels"]?["kubernetes.io/metadata.name"]}";

    private int GracePeriod(string workload) => int.Parse(
        (string)Workloads().Single(w => (string?)w["metadata"]!["name"] == workload)["spec"]!["template"]!["spec"]!["terminationGracePeriodSeconds"]!,
        System.Globalization.CultureInfo.InvariantCulture);

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
