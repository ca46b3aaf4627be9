using I2VStudio.Host.Components;
using I2VStudio.Host.Hosting;
using I2VStudio.Workspace;

var builder = WebApplication.CreateBuilder(args);

// TurboDiffusion:BaseUrl unset → the local emulator starts now, before the app is built, and becomes the backend.
var backend = await EmbeddedEmulator.ConfigureBackendAsync(builder, CancellationToken.None);
// Where the studio runs: Server (default), WebAssembly or Auto (I2VStudio:RenderMode).
var renderMode = StudioRenderModes.Read(builder.Configuration);
builder.Services.AddSingleton(new RenderModeSetting(renderMode));

// The circuit keeps SignalR's default 32 KB message limit: the studio reads anything large from the browser (an
// image's first bytes, the stored jobs) as JS streams, which travel in chunks; the image for the upload comes by HTTP.
builder.Services.AddRazorComponents()
    .AddInteractiveServerComponents()
    .AddInteractiveWebAssemblyComponents();
builder.Services.AddI2VStudio(builder.Configuration);
builder.Services.AddI2VDownloads(builder.Configuration);
// Projects and assets (/projects, /assets): SQLite under Workspace:DataDirectory, or ConnectionStrings:Workspace.
builder.Services.AddI2VWorkspacePages(builder.Configuration);
builder.Services.AddRequestLocalization(Preferences.ConfigureLocalization);
builder.Services.AddPageCompression();
// The stylesheets the document carries inline (App.razor's head), read once.
builder.Services.AddSingleton<InlineStylesheets>();
if (renderMode.RunsInBrowser())
{
    // The browser-side studio posts the image to this host, which forwards it: the proxy's API route raises the body
    // limit to the image cap plus the form (see BackendProxy); every other route keeps the small limit below.
    builder.Services.AddBackendProxy(builder.Configuration, backend);
}

// Only the upload route (UploadEndpoint: the browser posts an image into its circuit's upload slot, which streams it on to
// the backend) and the proxy's API route take large bodies, and each raises the limit itself; keep Kestrel's small.
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = 4 * 1024 * 1024);

var app = builder.Build();

if (!app.Environment.IsDevelopment())
{
    app.UseHsts();
}

app.UseResponseCompression();
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseRequestLocalization();
app.UseAntiforgery();

app.MapStaticAssets();
app.MapPreferences();
app.MapI2VUploads();
app.MapI2VWorkspace();
app.MapI2VDownloads(includeJobRoute: renderMode.RunsInBrowser());
if (renderMode.RunsInBrowser())
{
    app.MapClientConfig();
    app.MapBackendProxy();
}

app.MapRazorComponents<App>()
    .AddInteractiveServerRenderMode()
    .AddInteractiveWebAssemblyRenderMode()
    // The router, layout and pages live in the client project, so they can run in the browser too.
    .AddAdditionalAssemblies(typeof(Routes).Assembly);

app.Lifetime.ApplicationStarted.Register(() =>
{
    var source = backend.IsEmulator ? "the local emulator (ffmpeg stand-in videos)" : "the configured backend";
    StartupLog.Started(app.Logger, backend.ApiBaseUri, source, renderMode);
});

await app.RunAsync();

/// <summary>Entry point, public for in-process tests.</summary>
public partial class Program;
