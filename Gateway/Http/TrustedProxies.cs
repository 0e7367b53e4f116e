using Microsoft.AspNetCore.HttpOverrides;

namespace OrleansChat.Gateway.Http;

/// <summary>
/// Takes the client's address (and scheme) from X-Forwarded-For (-Proto) when the connection comes from a
/// trusted proxy (<see cref="GatewayOptions.TrustedProxyNetworks"/>), the one hop next to the gateway. A
/// header from anyone else is ignored, so a client cannot pick the address its limits are counted under.
/// </summary>
internal static class TrustedProxies
{
    public static IApplicationBuilder UseTrustedProxies(this IApplicationBuilder app, GatewayOptions options)
    {
        if (options.TrustedProxyNetworks.Length == 0)
        {
            return app;
        }

        var forwarded = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
            ForwardLimit = 1,
        };
        forwarded.KnownIPNetworks.Clear();
        forwarded.KnownProxies.Clear();
        foreach (var network in options.TrustedProxyNetworks)
        {
            forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        }

        return app.UseForwardedHeaders(forwarded);
    }
}
