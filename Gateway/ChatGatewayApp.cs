using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;
using OrleansChat.Gateway.Hosting;
using OrleansChat.Gateway.Http;
using OrleansChat.Gateway.Metrics;
using OrleansChat.Gateway.Sockets;
using OrleansChat.Hosting;

namespace OrleansChat.Gateway;

/// <summary>Builds the gateway: the HTTP endpoints, the WebSocket endpoint and (by default) an embedded silo.</summary>
public static class ChatGatewayApp
{
    private const string DefaultUrl = "http://127.0.0.1:5000";

    public static WebApplication Build(string[] args) => Build(CreateBuilder(args));

    /// <summary>The gateway's services and configuration, before the app is built (tests add services here).</summary>
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);

        // The console is where the gateway's logs go; the default Debug and EventSource providers would each wrap
        // every log scope, and a socket holds its scopes for as long as it lives.
        builder.Logging.ClearProviders().AddConsole();
        RequestDiagnosticsSwitch.AddTo(builder);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        var options = Options(builder.Configuration);
        if (options.SocketSendBufferBytes is { } sendBuffer)
        {
            // Set on the listening socket, the size is inherited by every connection accepted from it.
            builder.WebHost.UseSockets(sockets => sockets.CreateBoundListenSocket = endpoint =>
            {
                var listener = SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
                listener.SendBufferSize = sendBuffer;
                return listener;
            });
        }

        builder.AddChatOrleans(options);
        builder.Services.AddChatGateway(builder.Configuration);
        return builder;
    }

    public static WebApplication Build(WebApplicationBuilder builder)
    {
        var app = builder.Build();
        var settings = Options(app.Configuration);
        WarnIfStorageIsVolatile(app, settings);
        CloseSocketsOnShutdown(app);
        RequestDiagnosticsSwitch.FollowLifetime(app);
        // Made now, so that its gauges are there before anything reads the meter.
        app.Services.GetRequiredService<GatewayGauges>();

        app.UseTrustedProxies(settings);

        // A ping that goes unanswered drops the socket: half-open connections are reaped and their users go offline.
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = settings.KeepAliveInterval, KeepAliveTimeout = settings.KeepAliveTimeout });
        app.UseChatSocketUpgrades();
        app.UseSecurityHeaders(settings);
        app.UseChatMetricsEndpoint(app.Configuration);
        app.UseJsonErrorPages();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.MapAccountEndpoints();
        app.MapChatHealth();
        app.MapProtocolDocument();
        app.MapChatSocket();
        return app;
    }

    private static GatewayOptions Options(IConfiguration configuration) =>
        configuration.GetSection(GatewayOptions.Section).Get<GatewayOptions>() ?? new GatewayOptions();

    private static void WarnIfStorageIsVolatile(WebApplication app, GatewayOptions options)
    {
        if (!options.IsClientMode && !ChatSiloBuilderExtensions.UsesRedis(app.Configuration))
        {
            app.Logger.LogWarning(
                "No ConnectionStrings:Redis configured: grain state is kept IN MEMORY and ALL accounts, groups and messages are LOST when this process exits. Set ConnectionStrings__Redis to keep them.");
        }
    }

    /// <summary>
    /// Stopping callbacks run before any hosted service stops, so sockets get their 1001 close (after
    /// their request in flight) while the silo is still there to answer.
    /// </summary>
    private static void CloseSocketsOnShutdown(WebApplication app)
    {
        var registry = app.Services.GetRequiredService<ConnectionRegistry>();
        var timeout = app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value.CloseTimeout * 2;
        app.Lifetime.ApplicationStopping.Register(() => registry.ShutdownAllAsync(timeout).GetAwaiter().GetResult());
    }
}
