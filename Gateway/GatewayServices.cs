using Microsoft.Extensions.DependencyInjection.Extensions;
using OrleansChat.Gateway.Fanout;
using OrleansChat.Gateway.Hosting;
using OrleansChat.Gateway.Limits;
using OrleansChat.Gateway.Metrics;
using OrleansChat.Gateway.Overload;
using OrleansChat.Gateway.Presence;
using OrleansChat.Gateway.Requests;
using OrleansChat.Gateway.Sockets;
using OrleansChat.Hosting;
using OrleansChat.Limits;

namespace OrleansChat.Gateway;

internal static class GatewayServices
{
    public static void AddChatGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GatewayOptions>().Bind(configuration.GetSection(GatewayOptions.Section));
        services.AddOptions<LimitsOptions>().Bind(configuration.GetSection(LimitsOptions.Section));
        services.AddSingleton<GatewayMetrics>();
        services.AddChatTelemetry("orleanschat-gateway", GatewayMetrics.MeterName);
        services.AddChatHealthChecks(configuration).AddReadinessCheck<ClusterHealthCheck>("cluster");
        services.AddSingleton<GatewayGauges>();
        services.AddSingleton<UserAllowance>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ConnectionRegistry>();
        services.AddSingleton<OutboundBudget>();
        services.AddSingleton<FollowTable>();
        services.AddSingleton<GatewayObserver>();
        services.AddSingleton<GatewayIdentity>();
        services.AddSingleton<PresenceReporter>();
        services.AddHostedService(provider => provider.GetRequiredService<PresenceReporter>());
        services.AddHostedService<RelayTailChecker>();
        services.AddSingleton<ThreadPoolDelayProbe>();
        services.AddHostedService(provider => provider.GetRequiredService<ThreadPoolDelayProbe>());
        services.AddSingleton<OverloadGuard>();
        services.AddSingleton<AccountAttemptLimiter>();
        services.AddSingleton<DirectMessageRequests>();
        services.AddSingleton<RequestHandler>();
        services.AddSingleton<SocketSignIn>();
        services.AddSingleton<OriginPolicy>();
        services.AddSingleton<RequestLimits>();
        services.AddSingleton<SocketSession>();
    }
}
