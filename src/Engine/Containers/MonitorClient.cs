using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using ContainerPS.Engine.Errors;
using ContainerPS.Runtime.Monitor;

namespace ContainerPS.Engine.Containers;

/// <summary>Talks to a container's monitor over its unix socket (one request per connection).</summary>
internal static class MonitorClient
{
    public static async Task<MonitorResponse> RequestAsync(string socketPath, MonitorRequest request, CancellationToken cancellationToken)
    {
        using var socket = await ConnectAsync(socketPath, cancellationToken).ConfigureAwait(false);
        string? line;
        try
        {
            await SendRequestAsync(socket, request, cancellationToken).ConfigureAwait(false);
            using var stream = new NetworkStream(socket, ownsSocket: false);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
            line = null; // the monitor ended while answering: the caller reads state.json
        }
        if (line is null) throw new EngineException(ErrorKind.Unavailable, "MonitorGone", "the container's monitor closed the connection", socketPath);
        var response = JsonSerializer.Deserialize(line, MonitorJsonContext.Default.MonitorResponse)!;
        if (!response.Ok) throw new ConflictException("MonitorRefused", response.Error ?? "the monitor refused the request", socketPath, ErrorKind.FailedPrecondition);
        return response;
    }

    public static async Task<Socket> ConnectAsync(string socketPath, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new EngineException(ErrorKind.Unavailable, "MonitorUnreachable", $"cannot reach the container's monitor at {socketPath}: {ex.Message}", socketPath, ex);
        }
    }

    public static async Task SendRequestAsync(Socket socket, MonitorRequest request, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(request, MonitorJsonContext.Default.MonitorRequest);
        var line = new byte[bytes.Length + 1];
        bytes.CopyTo(line, 0);
        line[^1] = (byte)'\n';
        await socket.SendAsync(line, SocketFlags.None, cancellationToken).ConfigureAwait(false);
    }
}
