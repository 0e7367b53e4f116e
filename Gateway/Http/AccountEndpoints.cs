using Microsoft.AspNetCore.Http.Features;
using System.Text.Json;
using OrleansChat.Errors;
using OrleansChat.Gateway.Limits;
using OrleansChat.Gateway.Protocol;
using OrleansChat.Rules;
using OrleansChat.Users;

namespace OrleansChat.Gateway.Http;

/// <summary>
/// POST /api/register, /api/login, /api/password and /api/logout: the same account operations as over the
/// socket. Every one that checks a password passes the client address's attempt limit; a wrong token counts
/// as a failed attempt, as over the socket.
/// </summary>
internal static class AccountEndpoints
{
    private const long MaxBodyBytes = 16 * 1024;
    private const string Bearer = "Bearer ";

    public static void MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/register", (HttpRequest request, IGrainFactory grains, AccountAttemptLimiter limiter) => HandleAsync(request, limiter, async body =>
        {
            var user = await User(grains, body).Register(body.Username, body.Password);
            return Results.Json(new { userId = user.UserId, username = user.Username }, statusCode: StatusCodes.Status201Created);
        }));

        endpoints.MapPost("/api/login", (HttpRequest request, IGrainFactory grains, AccountAttemptLimiter limiter) => HandleAsync(request, limiter, async body =>
            Ticket(await User(grains, body).Login(body.Password))));

        endpoints.MapPost("/api/password", (HttpRequest request, IGrainFactory grains, AccountAttemptLimiter limiter) => HandleAsync(request, limiter, async body =>
        {
            var newPassword = body.NewPassword ?? throw new ChatException(ChatErrorCode.BadRequest, "missing field newPassword");
            return Ticket(await User(grains, body).ChangePassword(body.Password, ChatRules.Password.Require(newPassword)));
        }));

        endpoints.MapPost("/api/logout", async (HttpRequest request, IGrainFactory grains, AccountAttemptLimiter limiter) =>
        {
            var client = request.HttpContext.Connection.RemoteIpAddress;
            if (limiter.AuthenticationRefusal(client) is { } refusal)
            {
                return Error(refusal);
            }

            try
            {
                var header = request.Headers.Authorization.ToString();
                var token = header.StartsWith(Bearer, StringComparison.Ordinal) ? header[Bearer.Length..] : "";
                if (!SessionToken.TryParse(token, out var userId, out _) || SessionToken.SessionIdOf(token) is not { } session)
                {
                    throw ChatRules.InvalidToken();
                }

                var user = grains.GetGrain<IUserGrain>(userId);
                await user.Authenticate(token);
                await user.EndSession(session);
                return Results.NoContent();
            }
            catch (Exception ex)
            {
                if (ex is ChatException { Code: ChatErrorCode.Unauthorized })
                {
                    limiter.Failed(client);
                }

                return Error(ex);
            }
        });
    }

    private static IUserGrain User(IGrainFactory grains, AccountBody body) =>
        grains.GetGrain<IUserGrain>(Names.NormalizeUsername(body.Username));

    private static IResult Ticket(LoginTicket ticket) => Results.Json(new
    {
        token = ticket.Token,
        userId = ticket.User.UserId,
        username = ticket.User.Username,
        expiresAt = WireNames.Timestamp(ticket.ExpiresAt),
    });

    private static async Task<IResult> HandleAsync(HttpRequest request, AccountAttemptLimiter limiter, Func<AccountBody, Task<IResult>> action)
    {
        var client = request.HttpContext.Connection.RemoteIpAddress;
        if (limiter.Refusal(client) is { } refusal)
        {
            return Error(refusal);
        }

        try
        {
            return await action(await ReadBodyAsync(request));
        }
        catch (Exception ex)
        {
            if (ex is ChatException { Code: ChatErrorCode.Unauthorized or ChatErrorCode.Conflict })
            {
                limiter.Failed(client);
            }

            return Error(ex);
        }
    }

    private static IResult Error(Exception exception)
    {
        var (code, message) = GrainErrors.Describe(exception);
        return ErrorResponses.Result(StatusOf(code), code, message);
    }

    /// <summary>The body's username and password; a bad_request <see cref="ChatException"/> when they are missing or break a rule.</summary>
    private static async Task<AccountBody> ReadBodyAsync(HttpRequest request)
    {
        // The bodies are tiny; never buffer a large one to find that out.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        AccountBody? body = null;
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("username", out var username) && username.ValueKind == JsonValueKind.String
                && root.TryGetProperty("password", out var password) && password.ValueKind == JsonValueKind.String)
            {
                var newPassword = root.TryGetProperty("newPassword", out var given) && given.ValueKind == JsonValueKind.String ? given.GetString() : null;
                body = new AccountBody(Names.Normalize(username.GetString()!), password.GetString()!, newPassword);
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or BadHttpRequestException)
        {
        }

        if (body is null)
        {
            throw new ChatException(ChatErrorCode.BadRequest, "expected a JSON object with a username and a password, both strings");
        }

        ChatRules.Username.Require(body.Username);
        ChatRules.Password.Require(body.Password);
        return body;
    }

    private static int StatusOf(ChatErrorCode code) => code switch
    {
        ChatErrorCode.BadRequest => StatusCodes.Status400BadRequest,
        ChatErrorCode.Unauthorized => StatusCodes.Status401Unauthorized,
        ChatErrorCode.Forbidden => StatusCodes.Status403Forbidden,
        ChatErrorCode.NotFound => StatusCodes.Status404NotFound,
        ChatErrorCode.Conflict => StatusCodes.Status409Conflict,
        ChatErrorCode.RateLimited => StatusCodes.Status429TooManyRequests,
        ChatErrorCode.Unavailable or ChatErrorCode.Overloaded => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>What the account endpoints read from a body; <see cref="NewPassword"/> only /api/password needs.</summary>
    private sealed record AccountBody(string Username, string Password, string? NewPassword)
    {
        public override string ToString() => $"{nameof(AccountBody)} {{ Username = {Username}, Password = ***, NewPassword = *** }}";
    }
}
