using System.Net;
using Orleans.Configuration;
using OrleansChat.Hosting;

// A standalone silo for cluster mode: members find each other through Redis, grain state lives there too.
var builder = Host.CreateApplicationBuilder(args);
var configuration = builder.Configuration;
var redis = configuration.GetConnectionString("Redis")
    ?? throw new InvalidOperationException("A silo needs ConnectionStrings:Redis (for example 127.0.0.1:6379)");

builder.UseOrleans(silo =>
{
    silo.UseRedisClustering(redis);
    silo.Configure<ClusterOptions>(configuration.GetSection("Orleans"));
    silo.Configure<EndpointOptions>(endpoints =>
    {
        endpoints.SiloPort = configuration.GetValue("Orleans:Endpoints:SiloPort", EndpointOptions.DEFAULT_SILO_PORT);
        endpoints.GatewayPort = configuration.GetValue("Orleans:Endpoints:GatewayPort", EndpointOptions.DEFAULT_GATEWAY_PORT);
        if (configuration["Orleans:Endpoints:AdvertisedIPAddress"] is { Length: > 0 } advertised)
        {
            endpoints.AdvertisedIPAddress = IPAddress.Parse(advertised);
        }
    });
    silo.AddChatGrains(configuration);
});

builder.Build().Run();
