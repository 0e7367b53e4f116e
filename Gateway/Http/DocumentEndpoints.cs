namespace OrleansChat.Gateway.Http;

internal static class DocumentEndpoints
{
    /// <summary>Serves docs/protocol.md, built into the assembly so the gateway needs no files beside it.</summary>
    public static void MapProtocolDocument(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/protocol.md", () =>
        {
            var document = typeof(DocumentEndpoints).Assembly.GetManifestResourceStream("protocol.md")!;
            return Results.Stream(document, "text/markdown; charset=utf-8");
        });
}
