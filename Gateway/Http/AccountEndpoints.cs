using Microsoft.AspNetCore.Http.Features;
using System.Text.Json;
using OrleansChat.Errors;
using OrleansChat.Gateway.Protocol;
using OrleansChat.Gateway.Requests;
using OrleansChat.Users;

namespace OrleansChat.Gateway.Http;

/// <summary>POST /api/register and /api/login: the same account operations as over the socket.</summary>
internal static class AccountEndpoints
{
    private const long MaxBodyBytes = 16 * 1024;

    public static void MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/register", (HttpRequest request, IGrainFactory grains, AccountAttemptLimiter limiter) => HandleAsync(request, limiter, async credentials =>
        {
            var user = await User(grains, credentials).Register(credentials.Username, credentials.Password);
            return Results.Json(new { userId = user.UserId, username = user.Username }, statusCode: StatusCodes.Status201Created);
        }));

        endpoints.MapPost("/api/login", (HttpRequest request, IGrainFactory grains, AccountAttemptLimiter limiter) => HandleAsync(request, limiter, async credentials =>
        {
            var ticket = await User(grains, credentials).Login(credentials.Password);
            return Results.Json(new
            {
                token = ticket.Token,
                userId = ticket.User.UserId,
                username = ticket.User.Username,
                expiresAt = WireNames.Timestamp(ticket.ExpiresAt),
            });
        }));
    }

    private static IUserGrain User(IGrainFactory grains, Credentials credentials) =>
        grains.GetGrain<IUserGrain>(Names.NormalizeUsername(credentials.Username));

    private static async Task<IResult> HandleAsync(HttpRequest request, AccountAttemptLimiter limiter, Func<Credentials, Task<IResult>> action)
    {
        if (!limiter.TryAcquire(request.HttpContext.Connection.RemoteIpAddress))
        {
            return ErrorResponses.Result(StatusCodes.Status429TooManyRequests, ChatErrorCode.RateLimited, "too many registrations or logins; slow down");
        }

        var credentials = await ReadCredentialsAsync(request);
        if (credentials is null)
        {
            return ErrorResponses.Result(StatusCodes.Status400BadRequest, ChatErrorCode.BadRequest,
                "expected a JSON object with a valid username (3 to 32 of A-Z a-z 0-9 _ . -) and password (8 to 128 characters)");
        }

        try
        {
            return await RejectedCallRetry.RunAsync(() => action(credentials));
        }
        catch (Exception ex)
        {
            var (code, message) = GrainErrors.Describe(ex);
            return ErrorResponses.Result(StatusOf(code), code, message);
        }
    }

    private static async Task<Credentials?> ReadCredentialsAsync(HttpRequest request)
    {
        // Credentials are tiny; never buffer a large body to find that out.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        try
        {
            using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            var root = body.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("username", out var username) && username.ValueKind == JsonValueKind.String
                && root.TryGetProperty("password", out var password) && password.ValueKind == JsonValueKind.String)
            {
                var credentials = new Credentials(username.GetString()!, password.GetString()!);
                return Names.IsValidUsername(credentials.Username) && Names.IsValidPassword(credentials.Password) ? credentials : null;
            }

            return null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or BadHttpRequestException)
        {
            return null;
        }
    }

    private static int StatusOf(ChatErrorCode code) => code switch
    {
        ChatErrorCode.BadRequest => StatusCodes.Status400BadRequest,
        ChatErrorCode.Unauthorized => StatusCodes.Status401Unauthorized,
        ChatErrorCode.Conflict => StatusCodes.Status409Conflict,
        ChatErrorCode.RateLimited => StatusCodes.Status429TooManyRequests,
        ChatErrorCode.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    private sealed record Credentials(string Username, string Password);
}
