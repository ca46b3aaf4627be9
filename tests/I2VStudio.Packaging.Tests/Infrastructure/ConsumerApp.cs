using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace I2VStudio.Packaging.Tests.Infrastructure;

/// <summary>
/// A minimal Blazor Web App written by the test, outside the repository, that uses the studio the way the package
/// readme says: the packages from the local feed (not project references), and three lines of setup —
/// <c>AddI2VStudio</c>, <c>&lt;I2VStudioProviders /&gt;</c> in the layout, <c>&lt;I2VStudioPage /&gt;</c> on a page at
/// <c>/tools/i2v</c>. Everything else is the stock template shape (App, Routes, a layout, _Imports).
/// </summary>
internal sealed partial class ConsumerApp : IAsyncDisposable
{
    public const string Name = "ConsumerApp";

    /// <summary>The lines of the app that are about the studio; the test checks that there are no more.</summary>
    public static readonly string[] StudioSetupLines =
    [
        "builder.Services.AddI2VStudio(builder.Configuration);",
        "<I2VStudioProviders />",
        "<I2VStudioPage />",
    ];

    private readonly StringBuilder _log = new();
    private readonly Lock _gate = new();
    private Process? _process;

    private ConsumerApp(string directory) => Directory = directory;

    public string Directory { get; }

    public Uri? BaseUri { get; private set; }

    /// <summary>What the running app printed so far.</summary>
    public string Log
    {
        get
        {
            lock (_gate) return _log.ToString();
        }
    }

    /// <summary>Every file of the app, by relative path.</summary>
    public static IReadOnlyDictionary<string, string> Files(string version, string feedDirectory) => new Dictionary<string, string>
    {
        [Name + ".csproj"] = $$"""
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="I2VStudio.Components" Version="{{version}}" />
              </ItemGroup>
            </Project>
            """,
        // The local feed is added to the sources of the machine's own NuGet configuration (no <clear/>), so MudBlazor
        // and the rest come from where they always do.
        ["NuGet.config"] = $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="i2v-local" value="{feedDirectory}" />
              </packageSources>
            </configuration>
            """,
        ["Program.cs"] = """
            using ConsumerApp.Components;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddRazorComponents().AddInteractiveServerComponents();
            builder.Services.AddI2VStudio(builder.Configuration);

            var app = builder.Build();
            app.UseAntiforgery();
            app.MapStaticAssets();
            app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
            app.Run();
            """,
        ["Components/_Imports.razor"] = """
            @using Microsoft.AspNetCore.Components.Routing
            @using Microsoft.AspNetCore.Components.Web
            @using static Microsoft.AspNetCore.Components.Web.RenderMode
            @using I2VStudio.Components
            @using ConsumerApp.Components
            @using ConsumerApp.Components.Layout
            """,
        ["Components/App.razor"] = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1.0" />
                <base href="/" />
                <link rel="stylesheet" href="ConsumerApp.styles.css" />
                <HeadOutlet @rendermode="InteractiveServer" />
            </head>
            <body>
                <Routes @rendermode="InteractiveServer" />
                <script src="_framework/blazor.web.js"></script>
            </body>
            </html>
            """,
        ["Components/Routes.razor"] = """
            <Router AppAssembly="typeof(Program).Assembly">
                <Found Context="routeData">
                    <RouteView RouteData="routeData" DefaultLayout="typeof(MainLayout)" />
                </Found>
            </Router>
            """,
        ["Components/Layout/MainLayout.razor"] = """
            @inherits LayoutComponentBase
            <I2VStudioProviders />
            <main>@Body</main>
            """,
        ["Components/Pages/Studio.razor"] = """
            @page "/tools/i2v"
            <PageTitle>Shots</PageTitle>
            <I2VStudioPage />
            """,
    };

    /// <summary>Writes the app into <paramref name="directory"/> and builds it (restore included) from the feed.</summary>
    public static async Task<ConsumerApp> CreateAndBuildAsync(string directory, PackageFeed feed, CancellationToken cancellationToken)
    {
        foreach (var (path, content) in Files(feed.Version, feed.FeedDirectory))
        {
            var full = Path.Combine(directory, path);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            await File.WriteAllTextAsync(full, content, cancellationToken);
        }

        await DotNetCli.RunAsync(directory, ["build", "-c", "Debug", "-nologo", "-v:q", "-clp:NoSummary"], TimeSpan.FromMinutes(4), cancellationToken);
        return new ConsumerApp(directory);
    }

    /// <summary>Runs the built app on a free loopback port, pointed at <paramref name="backend"/>, and waits until it listens.</summary>
    public async Task StartAsync(Uri backend, CancellationToken cancellationToken)
    {
        var dll = Path.Combine(Directory, "bin", "Debug", "net10.0", Name + ".dll");
        var start = DotNetCli.NewStartInfo(Directory, [dll, "--urls", "http://127.0.0.1:0"], new Dictionary<string, string>
        {
            // Development: static web assets (MudBlazor's, the studio's) are served from the packages in NuGet's cache.
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["TurboDiffusion__BaseUrl"] = backend.ToString(),
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
        });
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        _process = new Process { StartInfo = start };
        void OnLine(string? line)
        {
            if (line is null) return;
            lock (_gate) _log.AppendLine(line);
            if (ListeningLine().Match(line) is { Success: true } match) listening.TrySetResult(new Uri(match.Groups[1].Value + "/"));
        }

        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        _process.EnableRaisingEvents = true;
        _process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException($"The consumer app exited with {_process.ExitCode}:\n{Log}"));
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            BaseUri = await listening.Task.WaitAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The consumer app did not start listening within 60 s:\n{Log}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is null) return;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"Now listening on: (http://[^\s/]+)")]
    private static partial Regex ListeningLine();
}
