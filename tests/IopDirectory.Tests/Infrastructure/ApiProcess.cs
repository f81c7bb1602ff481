using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace IopDirectory.Tests.Infrastructure;

/// <summary>
/// The API as its own process on Kestrel (`serve`, built with the tests), for what the in-memory test server cannot
/// show: draining on SIGTERM, the thread pool's settings. Started on a free port; <see cref="StartAsync"/> returns once
/// it answers /health/live.
/// </summary>
public sealed class ApiProcess : IAsyncDisposable
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private readonly StringBuilder _output = new();

    private ApiProcess(Process process, int port)
    {
        Process = process;
        Port = port;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
    }

    public Process Process { get; }
    public int Port { get; }
    public HttpClient Client { get; }

    /// <summary>What the process wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public static async Task<ApiProcess> StartAsync(string connectionString, IReadOnlyDictionary<string, string>? environment = null)
    {
        var dll = Path.Combine(Repository.Root, "src", "IopDirectory.Api", "bin", Configuration, "net10.0", "IopDirectory.Api.dll");
        Assert.True(File.Exists(dll), $"{dll} is not built");
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("serve");
        start.Environment["ConnectionStrings__Directory"] = connectionString;
        start.Environment["Urls"] = $"http://127.0.0.1:{port}";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Auth__SigningKey"] = ApiFactory.SigningKey;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        var api = new ApiProcess(Process.Start(start)!, port);
        api.Process.OutputDataReceived += (_, e) => api.Append(e.Data);
        api.Process.ErrorDataReceived += (_, e) => api.Append(e.Data);
        api.Process.BeginOutputReadLine();
        api.Process.BeginErrorReadLine();
        try
        {
            for (var i = 0; ; i++)
            {
                try
                {
                    using var live = await api.Client.GetAsync("/health/live");
                    if (live.IsSuccessStatusCode) return api;
                }
                catch (HttpRequestException) when (i < 120 && !api.Process.HasExited)
                {
                }
                await Task.Delay(250);
            }
        }
        catch
        {
            await api.DisposeAsync();
            throw;
        }
    }

    public async Task<bool> AcceptsConnectionsAsync()
    {
        using var socket = new TcpClient();
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            await Process.WaitForExitAsync();
        }
        Process.Dispose();
    }

    private void Append(string? line)
    {
        lock (_output) _output.AppendLine(line);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
