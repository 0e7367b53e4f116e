using OrleansChat.Gateway.Fanout;
using OrleansChat.Gateway.Presence;
using OrleansChat.Gateway.Requests;
using OrleansChat.Gateway.Sockets;

namespace OrleansChat.Gateway;

internal static class GatewayServices
{
    public static void AddChatGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GatewayOptions>().Bind(configuration.GetSection(GatewayOptions.Section));
        services.AddSingleton<ConnectionRegistry>();
        services.AddSingleton<GroupFeeds>();
        services.AddSingleton<GatewayObserver>();
        services.AddSingleton<GatewayIdentity>();
        services.AddSingleton<PresenceReporter>();
        services.AddHostedService(provider => provider.GetRequiredService<PresenceReporter>());
        services.AddHostedService<FeedTailChecker>();
        services.AddSingleton<AccountAttemptLimiter>();
        services.AddSingleton<RequestHandler>();
        services.AddSingleton<SocketSession>();
    }
}
