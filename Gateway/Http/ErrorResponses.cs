using OrleansChat.Errors;
using OrleansChat.Gateway.Protocol;

namespace OrleansChat.Gateway.Http;

/// <summary>HTTP errors carry the same {"code","message"} body as WebSocket errors.</summary>
internal static class ErrorResponses
{
    public static Task WriteAsync(HttpContext context, int status, ChatErrorCode code, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new ErrorBody(WireNames.Of(code), message));
    }

    public static IResult Result(int status, ChatErrorCode code, string message) =>
        Results.Json(new ErrorBody(WireNames.Of(code), message), statusCode: status);

    /// <summary>Gives the bodiless 404 and 405 answers of routing the protocol's error body.</summary>
    public static void UseJsonErrorPages(this IApplicationBuilder app) =>
        app.UseStatusCodePages(context =>
        {
            var http = context.HttpContext;
            return http.Response.StatusCode switch
            {
                StatusCodes.Status404NotFound => WriteAsync(http, StatusCodes.Status404NotFound, ChatErrorCode.NotFound, $"no such path {http.Request.Path}"),
                StatusCodes.Status405MethodNotAllowed => WriteAsync(http, StatusCodes.Status405MethodNotAllowed, ChatErrorCode.BadRequest, $"{http.Request.Method} is not allowed on {http.Request.Path}"),
                _ => Task.CompletedTask,
            };
        });

    private sealed record ErrorBody(string Code, string Message);
}
