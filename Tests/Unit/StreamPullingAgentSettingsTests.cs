using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using OrleansChat.Groups;
using OrleansChat.Hosting;

namespace OrleansChat.Tests.Unit;

[Trait("Category", "Unit")]
public sealed class StreamPullingAgentSettingsTests
{
    [Fact]
    public void NoConfiguration_PollsEvery10Ms_DeliversUpTo64EventsACall()
    {
        var options = PullingAgentOptions([]);

        Assert.Equal(TimeSpan.FromMilliseconds(10), options.GetQueueMsgsTimerPeriod);
        Assert.Equal(64, options.BatchContainerBatchSize);
    }

    [Fact]
    public void Configuration_OverridesTheDefaults()
    {
        var options = PullingAgentOptions(new()
        {
            [$"{ChatSiloBuilderExtensions.PullingAgentSection}:BatchContainerBatchSize"] = "1",
            [$"{ChatSiloBuilderExtensions.PullingAgentSection}:GetQueueMsgsTimerPeriod"] = "00:00:00.005",
        });

        Assert.Equal(TimeSpan.FromMilliseconds(5), options.GetQueueMsgsTimerPeriod);
        Assert.Equal(1, options.BatchContainerBatchSize);
    }

    /// <summary>The group streams' options as a silo configured with <paramref name="settings"/> resolves them; the host is built, never started.</summary>
    private static StreamPullingAgentOptions PullingAgentOptions(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleans(silo => silo.UseLocalhostClustering().AddChatGrains(configuration));
        using var host = builder.Build();
        return host.Services.GetRequiredService<IOptionsMonitor<StreamPullingAgentOptions>>().Get(GroupStream.ProviderName);
    }
}
