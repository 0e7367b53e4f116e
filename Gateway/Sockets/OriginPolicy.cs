using Microsoft.Extensions.Options;

namespace OrleansChat.Gateway.Sockets;

/// <summary>
/// Which web pages may open a socket. A browser lets a page on any site open a WebSocket to any server, and
/// sends the page's origin with the upgrade; refusing origins other than the allowed ones (by default this
/// server's own) stops another site from using a visitor's browser to talk to this server. Clients that
/// are not browsers send no Origin header and are not affected.
/// </summary>
internal sealed class OriginPolicy(IOptions<GatewayOptions> options)
{
    public bool Allows(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return true;
        }

        var allowed = options.Value.AllowedOrigins;
        if (allowed.Length > 0)
        {
            return allowed.Contains(origin.TrimEnd('/'), StringComparer.OrdinalIgnoreCase);
        }

        // The server's own origin. Only the host and port are compared: behind a proxy that ends TLS, the page
        // is https while the request reaching Kestrel is http.
        return Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }
}
