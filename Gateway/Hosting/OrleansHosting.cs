using Orleans.Configuration;
using Orleans.Core;
using OrleansChat.Groups;
using OrleansChat.Hosting;

namespace OrleansChat.Gateway.Hosting;

internal static class OrleansHosting
{
    /// <summary>
    /// Embedded (the default): a silo in this process with localhost clustering, so one command runs a
    /// whole chat server. Client: an Orleans client of a separate cluster found through Redis.
    /// </summary>
    public static void AddChatOrleans(this WebApplicationBuilder builder, GatewayOptions options)
    {
        var configuration = builder.Configuration;
        if (options.IsClientMode)
        {
            var redis = configuration.GetConnectionString("Redis")
                ?? throw new InvalidOperationException("Gateway:Mode=client needs ConnectionStrings:Redis to find the cluster");
            builder.UseOrleansClient(client =>
            {
                client.UseRedisClustering(redis);
                client.Configure<ClusterOptions>(configuration.GetSection("Orleans"));
                client.AddMemoryStreams(GroupStream.ProviderName, streams => streams.ConfigurePartitioning(ChatSiloBuilderExtensions.StreamQueueCount));
                client.Services.AddSingleton<IClusterConnectionStatusObserver, ClusterReconnectionObserver>();
                client.AddOutgoingGrainCallFilter<RefusedCallRetry>();
                client.Configure<ClientMessagingOptions>(messaging => messaging.ResponseTimeout = options.GrainCallTimeout);

                // Find silos that joined (or came back) within seconds rather than the default minute.
                client.Configure<Orleans.Configuration.GatewayOptions>(gateways => gateways.GatewayListRefreshPeriod = TimeSpan.FromSeconds(5));

                // A gateway may start before any silo is up (or while the cluster restarts): keep trying
                // rather than exit; /readyz answers 503 meanwhile.
                client.UseConnectionRetryFilter(async (_, cancellationToken) =>
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                    return true;
                });
            });
            return;
        }

        var siloPort = configuration.GetValue("Orleans:Endpoints:SiloPort", EndpointOptions.DEFAULT_SILO_PORT);
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort);
            silo.Configure<ClusterOptions>(configuration.GetSection("Orleans"));
            // Nothing outside this process talks to the embedded silo, so it opens no client gateway.
            silo.Configure<EndpointOptions>(endpoints => endpoints.GatewayPort = 0);
            silo.AddChatGrains(configuration);
            silo.AddOutgoingGrainCallFilter<RefusedCallRetry>();
            silo.Configure<SiloMessagingOptions>(messaging => messaging.ResponseTimeout = options.GrainCallTimeout);
        });
    }
}
