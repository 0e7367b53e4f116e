using System.Net.WebSockets;
using OrleansChat.Client;

namespace OrleansChat.Cli;

/// <summary>What every command needs: the server, the output style and the stored tokens.</summary>
internal sealed class CliContext(Uri server, Output output, TokenStore tokens)
{
    public Uri Server => server;

    public Output Output => output;

    public TokenStore Tokens => tokens;

    public async Task<ChatClient> ConnectAsync(bool reconnect, CancellationToken cancellationToken)
    {
        try
        {
            return await ChatClient.ConnectAsync(server, new ChatClientOptions
            {
                Reconnect = reconnect,
                OnOverloaded = wait => Output.Status($"server busy; retrying in {wait.TotalSeconds:0.0} s"),
            }, cancellationToken);
        }
        catch (WebSocketException ex)
        {
            throw new CliException($"cannot reach the chat server at {server} ({ex.Message})", ex);
        }
    }

    /// <summary>Connects and authenticates with the token stored by `login`.</summary>
    public async Task<ChatClient> ConnectAuthenticatedAsync(CancellationToken cancellationToken, bool reconnect = false)
    {
        var token = tokens.Get(server) ?? throw new CliException($"not logged in to {server}: run `login USER` first");
        var client = await ConnectAsync(reconnect, cancellationToken);
        try
        {
            await client.AuthenticateAsync(token, cancellationToken);
            return client;
        }
        catch (ChatUnauthorizedException)
        {
            await client.DisposeAsync();
            throw new CliException("the stored login has expired or was revoked: run `login USER` again");
        }
    }
}
