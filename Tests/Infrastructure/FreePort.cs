using System.Net;
using System.Net.Sockets;

namespace OrleansChat.Tests.Infrastructure;

internal static class FreePort
{
    /// <summary>A loopback port nothing listens on now; the OS does not hand it out again right away.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
