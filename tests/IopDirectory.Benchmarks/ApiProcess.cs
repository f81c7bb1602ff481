using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace IopDirectory.Benchmarks;

/// <summary>The API as its own process (`dotnet IopDirectory.Api.dll serve`) on a free loopback port.</summary>
public sealed class ApiProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _output = new();

    private ApiProcess(Process process, Uri endpoint)
    {
        _process = process;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    /// <summary>The throwaway key the API process signs and checks tokens with (the match mode mints a HOTLINE token with it).</summary>
    public static readonly string SigningKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));

    public static string HotlineToken() => IopDirectory.Auth.AuthSetup.MintToken(
        new IopDirectory.Auth.AuthOptions { SigningKey = SigningKey }, "bench-hotline", ["HOTLINE"], TimeSpan.FromHours(12));
    public int ProcessId => _process.Id;

    public static string FindDll(string? configured)
    {
        if (configured is not null)
            return File.Exists(configured) ? configured : throw new FileNotFoundException($"--api-dll {configured} does not exist.");
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        var root = Options.RepositoryRoot() ?? throw new InvalidOperationException("Cannot find the repository (IopDirectory.sln); pass --api-dll.");
        var dll = Path.Combine(root, "src", "IopDirectory.Api", "bin", configuration, "net10.0", "IopDirectory.Api.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"{dll} is not built; build the solution in {configuration} first, or pass --api-dll.");
    }

    /// <summary>
    /// Copies the API's build output into <paramref name="folder"/> and returns the copy's dll, so a rebuild of src/
    /// during a long run (others work in the same tree) cannot swap the binary between or under the runs.
    /// </summary>
    public static string Snapshot(string dll, string folder)
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        var source = Path.GetDirectoryName(dll)!;
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(folder, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return Path.Combine(folder, Path.GetFileName(dll));
    }

    public static async Task<ApiProcess> StartAsync(string dll, string connectionString, int poolSize, CancellationToken ct)
    {
        var port = Cluster.FreePort();
        var endpoint = new Uri($"http://127.0.0.1:{port}/graphql");
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
        start.Environment["Database__MaxPoolSize"] = poolSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Urls"] = $"http://127.0.0.1:{port}";
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.EntityFrameworkCore"] = "Warning";
        // A throwaway signing key, so the API does not write a development key file anywhere.
        start.Environment["Auth__SigningKey"] = SigningKey;

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the API.");
        var api = new ApiProcess(process, endpoint);
        process.OutputDataReceived += (_, e) => api.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => api.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                var output = api.Output();
                await api.DisposeAsync();
                throw new InvalidOperationException($"The API exited with {process.ExitCode} while starting:\n{output}");
            }
            try
            {
                using var content = new StringContent("""{"query":"{ __typename }"}""", Encoding.UTF8, "application/json");
                using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = content };
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/graphql-response+json"));
                using var response = await http.SendAsync(request, ct);
                if (response.IsSuccessStatusCode) return api;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
            }
            if (deadline.Elapsed > TimeSpan.FromSeconds(90))
            {
                var output = api.Output();
                await api.DisposeAsync();
                throw new TimeoutException($"The API did not answer on {endpoint} within 90 s:\n{output}");
            }
            await Task.Delay(250, ct);
        }
    }

    /// <summary>CPU seconds the API process has used so far.</summary>
    public double CpuSeconds()
    {
        try
        {
            _process.Refresh();
            return _process.TotalProcessorTime.TotalSeconds;
        }
        catch (InvalidOperationException)
        {
            return double.NaN;
        }
    }

    public string Output()
    {
        lock (_output) return string.Join("\n", _output);
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            _output.Enqueue(line);
            while (_output.Count > 200) _output.Dequeue();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                await _process.WaitForExitAsync(wait.Token);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
            Console.Error.WriteLine($"api: could not stop process {_process.Id}: {e.Message}");
        }
        _process.Dispose();
    }

    /// <summary>Synchronous last-resort stop (process exit handler).</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
        }
    }
}
