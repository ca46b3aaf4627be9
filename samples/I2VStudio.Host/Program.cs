using I2VStudio.Host.Components;
using I2VStudio.Host.Hosting;

var builder = WebApplication.CreateBuilder(args);

// TurboDiffusion:BaseUrl unset → the local emulator starts now, before the app is built, and becomes the backend.
var backend = await EmbeddedEmulator.ConfigureBackendAsync(builder, CancellationToken.None);

builder.Services.AddRazorComponents()
    .AddInteractiveServerComponents()
    // The image intake sends a file's first 256 KB to .NET as one interop argument (≈ 342 KB as base64 on the JSON
    // hub protocol); 1 MB leaves room without opening the circuit to large messages. The image itself never crosses
    // the circuit as a message: the tracker streams it from the browser in chunks.
    .AddHubOptions(hub => hub.MaximumReceiveMessageSize = 1024 * 1024);
builder.Services.AddI2VStudio(builder.Configuration);
builder.Services.AddI2VDownloads(builder.Configuration);
builder.Services.AddRequestLocalization(Preferences.ConfigureLocalization);
// The host never receives an upload (the circuit streams the image from the browser to the backend), so no
// request body needs more than the default forms; keep Kestrel's body limit small.
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = 4 * 1024 * 1024);

var app = builder.Build();

if (!app.Environment.IsDevelopment())
{
    app.UseHsts();
}

app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseRequestLocalization();
app.UseAntiforgery();

app.MapStaticAssets();
app.MapPreferences();
app.MapI2VDownloads();
app.MapRazorComponents<App>()
    .AddInteractiveServerRenderMode();

app.Lifetime.ApplicationStarted.Register(() =>
{
    var source = backend.IsEmulator ? "the local emulator (ffmpeg stand-in videos)" : "the configured backend";
    StartupLog.Started(app.Logger, backend.ApiBaseUri, source);
});

await app.RunAsync();

/// <summary>Entry point, public for in-process tests.</summary>
public partial class Program;
