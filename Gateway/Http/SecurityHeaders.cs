namespace OrleansChat.Gateway.Http;

/// <summary>
/// Headers on every response that tell browsers how little the page needs: its own scripts, styles and
/// socket only, never inside another site's frame, no sniffing of content types, no referrer sent on; and
/// responses of the account API, which carry tokens, are never stored by a cache. Behind TLS (which the
/// gateway leaves to the ingress in front of it) HSTS is configured, as browsers ignore it over plain HTTP.
/// </summary>
internal static class SecurityHeaders
{
    // 'self' covers the page's own ws:// and wss:// address in current browsers (CSP level 3).
    private const string ContentSecurityPolicy =
        "default-src 'self'; connect-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app, GatewayOptions options) => app.Use((context, next) =>
    {
        var headers = context.Response.Headers;
        if (options.StrictTransportSecurity is { Length: > 0 } hsts)
        {
            headers.StrictTransportSecurity = hsts;
        }

        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            headers.CacheControl = "no-store";
        }

        return next(context);
    });
}
