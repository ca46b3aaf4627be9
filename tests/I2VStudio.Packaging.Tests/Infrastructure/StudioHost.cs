using I2VStudio.Testing;
using TurboDiffusion.Emulator;

namespace I2VStudio.Packaging.Tests.Infrastructure;

/// <summary>
/// The sample host (samples/I2VStudio.Host) on a free Kestrel port in a chosen render mode, its backend an emulator of
/// its own (see <see cref="StudioHostFactory"/>: the same host setup as the E2E fixture and the bench).
/// </summary>
public sealed class StudioHost : StudioHostFactory
{
    private StudioHost(RunningEmulator emulator, Dictionary<string, string?> settings)
        : base(settings)
    {
        Emulator = emulator;
    }

    public RunningEmulator Emulator { get; }

    /// <summary>Starts an emulator and the host in <paramref name="renderMode"/> (Server, WebAssembly or Auto) in front of it.</summary>
    public static async Task<StudioHost> StartAsync(string renderMode, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string?>? extraSettings = null)
    {
        var emulator = await TestEmulator.StartAsync(cancellationToken);
        var settings = new Dictionary<string, string?>
        {
            ["I2VStudio:RenderMode"] = renderMode,
            ["TurboDiffusion:BaseUrl"] = emulator.ApiBaseUri.ToString(),
            // Strict download origins: the emulator's storage only.
            ["I2VStudio:AllowedDownloadOrigins:0"] = emulator.StorageBaseUri.GetLeftPart(UriPartial.Authority),
        };
        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string?>()) settings[key] = value;

        var host = new StudioHost(emulator, settings);
        host.Start();
        return host;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Emulator.DisposeAsync();
    }
}
