using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Interlude.Harness.Db;

/// <summary>The database app running in a child process on one transport, listening on a free loopback port.</summary>
public sealed class DbServer : IAsyncDisposable
{
    private readonly Process _process;

    // Written by the process's output and error readers (their own threads), read by the bench's thread for an
    // error message; every access locks it.
    private readonly StringWriter _output = new();

    private DbServer(string name, Process process, Uri baseAddress)
    {
        Name = name;
        _process = process;
        BaseAddress = baseAddress;
    }

    /// <summary>kestrel-sockets, interlude or interlude-variant.</summary>
    public string Name { get; }

    /// <summary>http://127.0.0.1:port/.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The child's process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>What the server printed so far (for errors).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// The child's command line: <paramref name="command"/> (the program and its first arguments, which start the
    /// app), then the transport, the address, the connection string when given and <paramref name="extra"/>.
    /// </summary>
    public static IReadOnlyList<string> Arguments(IReadOnlyList<string> command, string transport, int port, string? connectionString, IReadOnlyList<string> extra)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(extra);
        return
        [
            .. command,
            "--transport", transport,
            "--urls", $"http://127.0.0.1:{port}",
            .. connectionString is null ? (string[])[] : ["--ConnectionStrings:hello_world", connectionString],
            .. extra,
        ];
    }

    /// <summary>Starts the app and waits until it answers /plaintext (at most <paramref name="timeout"/>).</summary>
    public static async Task<DbServer> StartAsync(
        string name, IReadOnlyList<string> command, string transport, string? connectionString, IReadOnlyList<string> extra,
        IReadOnlyList<string> environment, TimeSpan timeout, CancellationToken cancellationToken)
    {
        int port = FreePort();
        IReadOnlyList<string> arguments = Arguments(command, transport, port, connectionString, extra);
        var start = new ProcessStartInfo(arguments[0], arguments.Skip(1))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string variable in environment)
        {
            int equals = variable.IndexOf('=', StringComparison.Ordinal);
            start.Environment[variable[..equals]] = variable[(equals + 1)..];
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {arguments[0]}.");
        var server = new DbServer(name, process, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitReadyAsync(timeout, cancellationToken).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The child's CPU time and context switches now.</summary>
    public ProcessUsage Usage() => ProcessUsage.Read(_process.Id);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process.Dispose();
    }

    private static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.WriteLine(line);
            }
        }
    }

    private async Task WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The {Name} server exited with code {_process.ExitCode} before it answered:{Environment.NewLine}{Output}");
            }

            try
            {
                using HttpResponseMessage response = await client.GetAsync(new Uri(BaseAddress, "plaintext"), cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // That attempt timed out; try again.
            }

            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"The {Name} server did not answer within {timeout.TotalSeconds:F0} s:{Environment.NewLine}{Output}");
            }

            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }
    }
}
