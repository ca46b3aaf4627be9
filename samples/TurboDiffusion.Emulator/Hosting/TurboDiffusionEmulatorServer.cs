using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace TurboDiffusion.Emulator;

/// <summary>
/// Starts the emulator in-process as its own Kestrel app on its own ports, independent of the
/// caller's app (its routes, configuration and <c>Program</c>). This is how the studio host, the
/// end-to-end tests and the benchmark embed it.
/// </summary>
public static class TurboDiffusionEmulatorServer
{
    /// <summary>Starts an emulator with <paramref name="options"/> (copied; later changes to the object have no effect).</summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid; the message lists every problem.</exception>
    public static Task<RunningEmulator> StartAsync(EmulatorOptions options, CancellationToken cancellationToken) =>
        StartAsync(options, configureServices: null, cancellationToken);

    /// <summary>
    /// Starts an emulator, letting <paramref name="configureServices"/> replace services after the
    /// emulator registered its own: a fake clock (keyed <see cref="EmulatorServiceKeys.Clock"/>), another
    /// <see cref="IVideoEngine"/>, or logging (by default warnings and errors go to the console).
    /// </summary>
    public static async Task<RunningEmulator> StartAsync(
        EmulatorOptions options,
        Action<IServiceCollection>? configureServices,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);

        // The empty builder reads no appsettings, environment or Kestrel section: nothing of the
        // embedding process's configuration can leak into the emulator's endpoints.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(TurboDiffusionEmulatorServer).Assembly.GetName().Name,
            EnvironmentName = Environments.Production,
        });
        builder.WebHost.UseKestrelCore().UseUrls(options.ApiUrl);
        builder.Services.AddRoutingCore();
        builder.Services.AddLogging(logging => logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(10));
        builder.Services.AddTurboDiffusionEmulator(options.CopyTo);
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseFastApiStatusPages();
        app.MapTurboDiffusionEmulator();
        try
        {
            // Validate before the host starts, so bad options throw their messages without a logged start-up failure.
            _ = app.Services.GetRequiredService<IOptions<EmulatorOptions>>().Value;
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new RunningEmulator(app);
    }
}
