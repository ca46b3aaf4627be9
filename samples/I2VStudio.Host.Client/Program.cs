using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Components.WebAssembly.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace I2VStudio.Host.Client;

/// <summary>
/// The studio in the browser (I2VStudio:RenderMode WebAssembly or Auto). Its settings come from the host
/// (<c>/_i2v/client-config</c>), and its API calls go to its own origin, which forwards them to the backend.
/// </summary>
internal static class Program
{
    /// <summary>The host's endpoint with the I2VStudio and TurboDiffusion settings the browser may see.</summary>
    public const string ConfigPath = "_i2v/client-config";

    private static async Task Main(string[] args)
    {
        var builder = WebAssemblyHostBuilder.CreateDefault(args);
        // The browser console is the log: every status poll at Information would drown what matters.
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        builder.Logging.AddFilter("Polly", LogLevel.Warning);

        // One same-origin GET before start-up: the caps, timeouts and polling the host is configured with, so the
        // browser-side studio behaves as the server-side one would.
        using (var http = new HttpClient { BaseAddress = new Uri(builder.HostEnvironment.BaseAddress) })
        {
            var settings = await http.GetFromJsonAsync(ConfigPath, ClientConfigJson.Default.DictionaryStringString);
            builder.Configuration.AddInMemoryCollection(settings ?? []);
        }

        // Same origin: the host forwards the API routes (/v1/turbodiffusion/*, /v1/videogen/*, /openapi.json, …) to the backend.
        builder.Configuration["TurboDiffusion:BaseUrl"] = builder.HostEnvironment.BaseAddress;
        builder.Services.AddI2VStudio(builder.Configuration);

        await builder.Build().RunAsync();
    }
}

/// <summary>Source-generated JSON for the settings (trim-safe).</summary>
[JsonSerializable(typeof(Dictionary<string, string?>))]
internal sealed partial class ClientConfigJson : JsonSerializerContext;
