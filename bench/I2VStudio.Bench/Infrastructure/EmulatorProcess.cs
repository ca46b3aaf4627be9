using System.Globalization;
using System.Net.Http.Json;
using System.Reflection;
using TurboDiffusion.Emulator;

namespace I2VStudio.Bench.Infrastructure;

/// <summary>
/// The emulator in a process of its own (this program in <c>--serve-emulator</c> mode), so that memory and CPU
/// measured in the bench process belong to the studio host alone. Its counters are read over its admin route.
/// </summary>
public sealed class EmulatorProcess : IAsyncDisposable
{
    private readonly ChildProcess _child;

    private EmulatorProcess(ChildProcess child, Uri api)
    {
        _child = child;
        ApiBaseUri = api;
    }

    public Uri ApiBaseUri { get; }

    public int Pid => _child.Pid;

    /// <summary>Starts it; <paramref name="settings"/> are <c>Emulator</c> option names and values.</summary>
    public static async Task<EmulatorProcess> StartAsync(IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken)
    {
        var (file, prefix) = Self();
        var arguments = prefix.Append("--serve-emulator").Concat(settings.Select(kv => $"--{kv.Key}={kv.Value}"));
        var child = ChildProcess.Start(file, arguments, Environment.CurrentDirectory);
        var line = await child.WaitForLineAsync(l => l.StartsWith("EMULATOR ", StringComparison.Ordinal), TimeSpan.FromSeconds(60), cancellationToken);
        return new EmulatorProcess(child, new Uri(line.Split(' ')[1]));
    }

    /// <summary>How to start this program again: the apphost, or <c>dotnet</c> with this assembly.</summary>
    public static (string File, string[] Prefix) Self()
    {
        var process = Environment.ProcessPath!;
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? (process, [Assembly.GetExecutingAssembly().Location])
            : (process, []);
    }

    public async Task<RequestCountersSnapshot> CountersAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = ApiBaseUri };
        return (await http.GetFromJsonAsync<RequestCountersSnapshot>("_emulator/counters", new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web), cancellationToken))!;
    }

    /// <summary>The serve mode: starts an emulator with the given options, prints its address, runs until killed.</summary>
    public static async Task<int> ServeAsync(string[] args)
    {
        // The bench posts to the legacy routes it was written against.
        var options = new EmulatorOptions { WarmUpDelay = TimeSpan.Zero, ApiProfile = EmulatorApiProfile.Legacy };
        foreach (var arg in args.Where(a => a.StartsWith("--", StringComparison.Ordinal) && a.Contains('=', StringComparison.Ordinal)))
        {
            var (key, value) = (arg[2..arg.IndexOf('=', StringComparison.Ordinal)], arg[(arg.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            var property = typeof(EmulatorOptions).GetProperty(key) ?? throw new ArgumentException("Unknown emulator option " + key);
            object parsed = property.PropertyType == typeof(TimeSpan) ? TimeSpan.Parse(value, CultureInfo.InvariantCulture)
                : property.PropertyType == typeof(int) ? int.Parse(value, CultureInfo.InvariantCulture)
                : property.PropertyType == typeof(long) ? long.Parse(value, CultureInfo.InvariantCulture)
                : value;
            property.SetValue(options, parsed);
        }

        await using var emulator = await TurboDiffusionEmulatorServer.StartAsync(options, CancellationToken.None);
        Console.WriteLine($"EMULATOR {emulator.ApiBaseUri} {emulator.StorageBaseUri}");
        // Until the parent kills it (or closes our stdin).
        await Console.In.ReadToEndAsync();
        return 0;
    }

    public ValueTask DisposeAsync() => _child.DisposeAsync();
}
