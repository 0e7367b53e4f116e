using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;
using OrleansChat.Groups;
using OrleansChat.Hosting;

namespace OrleansChat.Tests.Grains;

/// <summary>An in-process Orleans cluster running the chat grains, shared by the grain tests.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private const string InnerStorage = "chat-memory";

    /// <summary>Low, so that a test reaches the limit with a handful of users.</summary>
    public const int ConversationsPerUser = 3;

    /// <summary>Low, so that a test pushes out the oldest request with a handful of users.</summary>
    public const int MessageRequestsPerUser = 2;

    /// <summary>Low, so that a test reaches the limit with a handful of users; the same number bounds bans.</summary>
    public const int InvitationsAndBansPerGroup = 2;

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    /// <summary>The storage every grain of the single silo writes through.</summary>
    public CountingGrainStorage Storage => Cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(StorageNames.Chat) as CountingGrainStorage
        ?? throw new InvalidOperationException("counting storage not installed");

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(initialSilosCount: 1);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddChatGrains(new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Limits:ConversationsPerUser"] = $"{ConversationsPerUser}",
                    ["Limits:MessageRequestsPerUser"] = $"{MessageRequestsPerUser}",
                    ["Limits:InvitationsPerGroup"] = $"{InvitationsAndBansPerGroup}",
                    ["Limits:BansPerGroup"] = $"{InvitationsAndBansPerGroup}",
                })
                .Build());
            silo.AddMemoryGrainStorage(InnerStorage);
            silo.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.Chat, (services, _) =>
                new CountingGrainStorage(services.GetRequiredKeyedService<IGrainStorage>(InnerStorage)));
        });
        builder.ConfigureClient(client => client.AddMemoryStreams(GroupStream.ProviderName, streams =>
            streams.ConfigurePartitioning(ChatSiloBuilderExtensions.StreamQueueCount)));
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
