using OrleansChat.Tests.Infrastructure;

namespace OrleansChat.Tests.Deploy;

/// <summary>No container engine runs here, so the image recipes are checked as text.</summary>
public sealed class DockerfileTests
{
    [Theory]
    [InlineData("Gateway.Dockerfile", "OrleansChat.Gateway.dll")]
    [InlineData("Silo.Dockerfile", "OrleansChat.Silo.dll")]
    public void Image_IsMultiStage_NonRoot_OnAChiseledRuntime(string dockerfile, string entryAssembly)
    {
        var lines = File.ReadAllLines(RepositoryPaths.Path("deploy", "docker", dockerfile));
        var stages = lines.Where(line => line.StartsWith("FROM ", StringComparison.Ordinal)).ToList();

        Assert.Equal(2, stages.Count);
        Assert.Contains("/sdk:", stages[0], StringComparison.Ordinal);
        Assert.Contains("-chiseled", stages[1], StringComparison.Ordinal);
        Assert.DoesNotContain(":latest", string.Join('\n', stages), StringComparison.Ordinal);
        Assert.Contains(lines, line => line.StartsWith("USER ", StringComparison.Ordinal) && !line.Contains("root", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("ENTRYPOINT", StringComparison.Ordinal) && line.Contains(entryAssembly, StringComparison.Ordinal));
    }
}
