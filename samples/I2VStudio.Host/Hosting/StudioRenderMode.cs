using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace I2VStudio.Host.Hosting;

/// <summary>Where the studio's interactive part runs, from <c>I2VStudio:RenderMode</c> (env <c>I2VStudio__RenderMode</c>).</summary>
public enum StudioRenderMode
{
    /// <summary>On the server, over a SignalR circuit (the default). The browser never calls the backend.</summary>
    Server,

    /// <summary>In the browser (WebAssembly). Its API calls go to the host, which forwards them to the backend.</summary>
    WebAssembly,

    /// <summary>On the server for the first visit, in the browser once the WebAssembly runtime is cached.</summary>
    Auto,
}

/// <summary>Reading and applying <see cref="StudioRenderMode"/>.</summary>
public static class StudioRenderModes
{
    /// <summary>The configuration key.</summary>
    public const string Key = "I2VStudio:RenderMode";

    /// <summary>The configured mode (default <see cref="StudioRenderMode.Server"/>); an unknown value stops the host with a message.</summary>
    public static StudioRenderMode Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var value = configuration[Key];
        if (string.IsNullOrWhiteSpace(value)) return StudioRenderMode.Server;
        if (Enum.TryParse<StudioRenderMode>(value.Trim(), ignoreCase: true, out var mode) && Enum.IsDefined(mode)) return mode;
        throw new InvalidOperationException($"{Key} must be Server, WebAssembly or Auto (was '{value}').");
    }

    /// <summary>Whether the browser may run the studio (and so needs the proxy, the job download route and the client settings).</summary>
    public static bool RunsInBrowser(this StudioRenderMode mode) => mode != StudioRenderMode.Server;

    /// <summary>The Blazor render mode for the root components.</summary>
    public static IComponentRenderMode ToRenderMode(this StudioRenderMode mode) => mode switch
    {
        StudioRenderMode.WebAssembly => RenderMode.InteractiveWebAssembly,
        StudioRenderMode.Auto => RenderMode.InteractiveAuto,
        _ => RenderMode.InteractiveServer,
    };
}

/// <summary>The host's chosen <see cref="StudioRenderMode"/>, as a service for the root component.</summary>
/// <param name="Mode">The mode read at start-up.</param>
public sealed record RenderModeSetting(StudioRenderMode Mode);
