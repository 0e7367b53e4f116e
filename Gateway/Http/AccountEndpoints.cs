using Microsoft.AspNetCore.Http.Features;
using System.Text.Json;
using OrleansChat.Errors;
using OrleansChat.Gateway.Protocol;
using OrleansChat.Gateway.Limits;
using OrleansChat.Rules;
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
            return Error(ChatRules.TooManyAccountAttempts());
        }

        try
        {
            var credentials = await ReadCredentialsAsync(request);
            return await action(credentials);
        }
        catch (Exception ex)
        {
            return Error(ex);
        }
    }

    private static IResult Error(Exception exception)
    {
        var (code, message) = GrainErrors.Describe(exception);
        return ErrorResponses.Result(StatusOf(code), code, message);
    }

    /// <summary>The body's credentials; a bad_request <see cref="ChatException"/> when they are missing or break a rule.</summary>
    private static async Task<Credentials> ReadCredentialsAsync(HttpRequest request)
    {
        // Credentials are tiny; never buffer a large body to find that out.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        Credentials? credentials = null;
        try
        {
            using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            var root = body.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("username", out var username) && username.ValueKind == JsonValueKind.String
                && root.TryGetProperty("password", out var password) && password.ValueKind == JsonValueKind.String)
            {
                credentials = new Credentials(username.GetString()!, password.GetString()!);
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or BadHttpRequestException)
        {
        }

        if (credentials is null)
        {
            throw new ChatException(ChatErrorCode.BadRequest, "expected a JSON object with a username and a password, both strings");
        }

        ChatRules.Username.Require(credentials.Username);
        ChatRules.Password.Require(credentials.Password);
        return credentials;
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
