using System.Diagnostics;
using System.Text.Json.Nodes;
using OrleansChat.Tests.Infrastructure;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace OrleansChat.Tests.Deploy;

/// <summary>deploy/k8s rendered by `kubectl kustomize`, as JSON objects to inspect.</summary>
public static class RenderedManifests
{
    public static async Task<List<JsonObject>> RenderAsync()
    {
        var start = new ProcessStartInfo("kubectl")
        {
            ArgumentList = { "kustomize", RepositoryPaths.Path("deploy", "k8s") },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var kubectl = Process.Start(start)!;
        var yaml = kubectl.StandardOutput.ReadToEndAsync();
        var errors = kubectl.StandardError.ReadToEndAsync();
        await kubectl.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        Assert.True(kubectl.ExitCode == 0, $"kubectl kustomize failed: {await errors}");
        return Parse(await yaml);
    }

    private static List<JsonObject> Parse(string yaml)
    {
        var deserializer = new DeserializerBuilder().Build();
        var toJson = new SerializerBuilder().JsonCompatible().Build();
        var parser = new Parser(new StringReader(yaml));
        parser.Consume<StreamStart>();
        var objects = new List<JsonObject>();
        while (parser.Accept<DocumentStart>(out _))
        {
            var document = deserializer.Deserialize(parser);
            if (document is not null)
            {
                objects.Add(JsonNode.Parse(toJson.Serialize(document))!.AsObject());
            }
        }

        return objects;
    }
}
