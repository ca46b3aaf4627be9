using I2VStudio.Components;
using I2VStudio.Host.Components;
using I2VStudio.Host.Components.Workspace;
using I2VStudio.Workspace;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.Options;

namespace I2VStudio.Host.Hosting;

/// <summary>The workspace in this host: its services, and its pages (/projects, /assets), which live in the host
/// assembly because they use the database directly — they run on the server's circuit only.</summary>
public static class WorkspacePages
{
    /// <summary>Adds the workspace and tells the router where its pages are.</summary>
    public static IServiceCollection AddI2VWorkspacePages(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddI2VWorkspace(configuration);
        // One clip-length limit and default for shots and /tools/i2v: the I2V tool's own options.
        services.AddOptions<WorkspaceOptions>().Configure<IOptions<I2VStudioOptions>>((workspace, studio) =>
        {
            workspace.MaxDurationSeconds = studio.Value.MaxDurationSeconds;
            workspace.DefaultDurationSeconds = studio.Value.DefaultDurationSeconds;
        });
        services.AddScoped<WorkspaceMessages>();
        services.AddScoped<CircuitHandler, SubmittedImagesCircuitHandler>();
        services.AddSingleton(new ExtraPageAssemblies([typeof(WorkspacePages).Assembly]));
        return services;
    }
}
