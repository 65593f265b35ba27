using System.Net;
using System.Net.Sockets;
using ContainerPS.Engine.Errors;
using ContainerPS.Runtime.Networking;

namespace ContainerPS.Engine.Networking;

/// <summary>
/// Published host ports held as bound sockets, as podman's conmon does: binding is the check
/// that the port is free (EADDRINUSE → a clear error before anything is set up), binding port 0
/// picks a free one (-PublishAll), and while the container's monitor holds the sockets no other
/// process can take the port. Traffic never reaches these sockets: the portmap plugin's DNAT
/// rules send it to the container first.
/// </summary>
public sealed class PortReservation : IDisposable
{
    private readonly List<Socket> _sockets = new();

    public IReadOnlyList<PortBinding> Bindings => _bindings;
    private readonly List<PortBinding> _bindings = new();

    /// <summary>The socket fds, in binding order, to hand to the monitor.</summary>
    public IReadOnlyList<int> Fds => _sockets.Select(s => (int)s.Handle).ToList();

    /// <summary>Binds every requested port; on any failure the ones bound so far are released.</summary>
    /// <exception cref="ConflictException">A port is taken (ErrorId PortAllocated).</exception>
    public static PortReservation Bind(IEnumerable<PortSpec> specs)
    {
        var reservation = new PortReservation();
        try
        {
            foreach (var spec in specs) reservation.BindOne(spec);
            return reservation;
        }
        catch
        {
            reservation.Dispose();
            throw;
        }
    }

    private void BindOne(PortSpec spec)
    {
        var tcp = spec.Protocol == "tcp";
        var socket = new Socket(AddressFamily.InterNetwork, tcp ? SocketType.Stream : SocketType.Dgram, tcp ? ProtocolType.Tcp : ProtocolType.Udp);
        var address = spec.HostIp.Length == 0 ? IPAddress.Any : IPAddress.Parse(spec.HostIp);
        try
        {
            // Only an exclusive, listening socket makes a later bind by anyone else fail.
            socket.ExclusiveAddressUse = true;
            socket.Bind(new IPEndPoint(address, spec.HostPort));
            if (tcp) socket.Listen(1);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            var where = $"{address}:{(spec.HostPort == 0 ? "0" : spec.HostPort)}";
            if (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
                throw new ConflictException("PortAllocated", $"Bind for {where}/{spec.Protocol} failed: port is already allocated", spec.ToString(), ErrorKind.AlreadyExists);
            throw new ConflictException("PortBindFailed", $"Bind for {where}/{spec.Protocol} failed: {ex.Message}", spec.ToString(), ErrorKind.FailedPrecondition);
        }
        _sockets.Add(socket);
        _bindings.Add(new PortBinding
        {
            HostIp = spec.HostIp,
            HostPort = ((IPEndPoint)socket.LocalEndPoint!).Port,
            ContainerPort = spec.ContainerPort,
            Protocol = spec.Protocol,
        });
    }

    public void Dispose()
    {
        foreach (var s in _sockets) s.Dispose();
        _sockets.Clear();
    }
}
