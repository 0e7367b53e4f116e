using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Configuration;
using Orleans.Storage;
using OrleansChat.Groups;
using OrleansChat.Limits;
using OrleansChat.Users;
using StackExchange.Redis;

namespace OrleansChat.Hosting;

public static class ChatSiloBuilderExtensions
{
    /// <summary>Memory stream queues; silos and external clients must agree on it.</summary>
    public const int StreamQueueCount = 8;

    /// <summary>Overrides of the group streams' pulling agents (Orleans <see cref="StreamPullingAgentOptions"/>).</summary>
    public const string PullingAgentSection = "Orleans:Streams:PullingAgent";

    /// <summary>
    /// Everything a silo needs to run the chat grains: storage (Redis when ConnectionStrings:Redis is set,
    /// memory otherwise), the group streams and the grains' options.
    /// </summary>
    public static ISiloBuilder AddChatGrains(this ISiloBuilder silo, IConfiguration configuration)
    {
        var redis = configuration.GetConnectionString("Redis");
        if (string.IsNullOrWhiteSpace(redis))
        {
            silo.AddMemoryGrainStorage(StorageNames.Chat);
            silo.AddMemoryGrainStorage(StorageNames.PubSub);
        }
        else
        {
            silo.AddRedisGrainStorage(StorageNames.Chat, options => options.ConfigurationOptions = RedisConnections.Options(redis));
            silo.AddRedisGrainStorage(StorageNames.PubSub, options => options.ConfigurationOptions = RedisConnections.Options(redis));
        }

        // Orleans' binary serializer for grain state rather than the default Newtonsoft JSON: every publish
        // rewrites the group's head page, and as JSON that made the gateway allocate about 1.3 KB per delivery
        // (see docs/benchmarks.md), with the garbage collections that follow.
        silo.Services.AddSingleton<IGrainStorageSerializer, OrleansGrainStorageSerializer>();

        silo.AddMemoryStreams(GroupStream.ProviderName, streams =>
        {
            streams.ConfigurePullingAgent(agent => agent.Configure(options =>
            {
                // The default 100 ms poll would be the floor of every delivery's latency.
                options.GetQueueMsgsTimerPeriod = TimeSpan.FromMilliseconds(10);

                // When a group's events back up, hand its relay up to 64 in one delivery call rather than one call
                // each. On one core this took the stream hop's p99 at 100,000 deliveries/s offered from 230 to 80 ms
                // and the deliveries from 67,000 to 98,000/s (docs/benchmarks.md); an event that finds no backlog
                // still goes alone, at once.
                options.BatchContainerBatchSize = 64;
                configuration.GetSection(PullingAgentSection).Bind(options);
            }));
            streams.ConfigurePartitioning(StreamQueueCount);

            // Delivered events wait in the pulling agents' cache for rewinding subscribers, which chat does not
            // have: its relays repair gaps from history. Orleans keeps up to 30 minutes of them (the newest
            // 30 minutes of a group that then went quiet stay for good); half a minute is plenty.
            streams.ConfigureCacheEviction(eviction => eviction.Configure(options =>
            {
                options.DataMinTimeInCache = TimeSpan.FromSeconds(10);
                options.DataMaxAgeInCache = TimeSpan.FromSeconds(30);
            }));
        });

        // How long an idle grain stays in memory (Orleans' default: 15 minutes); bench/run.sh soak shortens it
        // to show that what a soak leaves in the heap is idle activations and goes with them.
        silo.Services.AddOptions<GrainCollectionOptions>().Bind(configuration.GetSection("Orleans:GrainCollection"));
        silo.Services.AddOptions<ChatOptions>().Bind(configuration.GetSection(ChatOptions.Section));
        silo.Services.AddOptions<LimitsOptions>().Bind(configuration.GetSection(LimitsOptions.Section));
        silo.Services.AddSingleton<IPasswordHasher<AccountState>, PasswordHasher<AccountState>>();
        silo.Services.TryAddSingleton(TimeProvider.System);
        silo.AddOutgoingGrainCallFilter<GrainCallRefusals>();
        return silo;
    }

    public static bool UsesRedis(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration.GetConnectionString("Redis"));
}
