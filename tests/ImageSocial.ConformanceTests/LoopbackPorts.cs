using System.Net;
using System.Net.Sockets;

namespace ImageSocial.ConformanceTests;

/// <summary>Loopback ports for tests of what a provider does when its server does not answer.</summary>
public static class LoopbackPorts
{
    /// <summary>A loopback port that was free a moment ago and has no listener: connecting to it is refused.</summary>
    public static int Closed()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
