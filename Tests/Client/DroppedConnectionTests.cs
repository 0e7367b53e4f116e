using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OrleansChat.Client;

namespace OrleansChat.Tests.Client;

/// <summary>
/// A server that drops the connection under the client (its TCP connection aborted, no close frame): every
/// call then fails with ChatDisconnectedException, never with an OperationCanceledException nobody asked for.
/// </summary>
public sealed class DroppedConnectionTests
{
    [Fact]
    public async Task ConnectionAbortedByTheServer_RequestsAndSendsFailAsDisconnected()
    {
        var accepted = new TaskCompletionSource<HttpContext>(TaskCreationOptions.RunContinuationsAsynchronously);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        app.UseWebSockets();
        app.Map("/ws", async context =>
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            accepted.TrySetResult(context);
            var aborted = new TaskCompletionSource();
            using var _ = context.RequestAborted.Register(() => aborted.TrySetResult());
            await aborted.Task;
        });
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        await using var socket = await ChatSocket.ConnectAsync(address);
        var server = await accepted.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var pending = socket.RequestAsync(new { type = "ping" });
        server.Abort();

        await Assert.ThrowsAsync<ChatDisconnectedException>(() => pending.WaitAsync(TimeSpan.FromSeconds(10)));
        await socket.Closed.WaitAsync(TimeSpan.FromSeconds(10));
        await Assert.ThrowsAsync<ChatDisconnectedException>(() => socket.SendTextAsync("""{"type":"ping"}"""));
    }
}
