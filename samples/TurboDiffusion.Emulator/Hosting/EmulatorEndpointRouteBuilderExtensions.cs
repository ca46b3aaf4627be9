using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace TurboDiffusion.Emulator;

/// <summary>Maps the emulator's routes into an app that called <see cref="EmulatorServiceCollectionExtensions.AddTurboDiffusionEmulator(Microsoft.Extensions.DependencyInjection.IServiceCollection, Action{EmulatorOptions}?)"/>.</summary>
public static class EmulatorEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the contract's routes for <see cref="EmulatorOptions.ApiProfile"/> (Legacy: <c>/v1/turbodiffusion/*</c>;
    /// VideoGen: <c>/v1/videogen/*</c> and <c>/v1/capabilities/status</c>; Both), <c>GET /openapi.json</c>,
    /// <c>GET /health</c>, <c>GET /paths</c> and the admin routes under <c>/_emulator/</c>. Returns the API routes' group.
    /// </summary>
    public static IEndpointConventionBuilder MapTurboDiffusionEmulator(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var profile = endpoints.ServiceProvider.GetRequiredService<IOptions<EmulatorOptions>>().Value.ApiProfile;
        var api = endpoints.MapGroup("");
        api.AddEndpointFilter(ApiFaults.InvokeAsync);
        if (profile is EmulatorApiProfile.Legacy or EmulatorApiProfile.Both)
        {
            api.MapPost("/v1/turbodiffusion/wan22-i2v/jobs", JobsApi.PostJobAsync).WithMetadata(new EmulatorRouteTag(EmulatorRoute.PostJob));
            api.MapGet("/v1/turbodiffusion/jobs/{job_id}", JobsApi.GetJobAsync).WithMetadata(new EmulatorRouteTag(EmulatorRoute.GetJob));
            api.MapGet("/v1/turbodiffusion/models", InfoApi.Models).WithMetadata(new EmulatorRouteTag(EmulatorRoute.Models));
        }

        if (profile is EmulatorApiProfile.VideoGen or EmulatorApiProfile.Both)
        {
            // Counted and faulted as the same routes: a fault knob hits whichever version the client speaks.
            api.MapPost("/v1/videogen/wan22-i2v/jobs", VideoGenApi.PostJobAsync).WithMetadata(new EmulatorRouteTag(EmulatorRoute.PostJob));
            api.MapGet("/v1/videogen/jobs/{job_id}", VideoGenApi.GetJobAsync).WithMetadata(new EmulatorRouteTag(EmulatorRoute.GetJob));
            api.MapGet("/v1/videogen/models", VideoGenApi.Models).WithMetadata(new EmulatorRouteTag(EmulatorRoute.Models));
            api.MapGet("/v1/capabilities/status", VideoGenApi.Capabilities).WithMetadata(new EmulatorRouteTag(EmulatorRoute.Capabilities));
        }

        api.MapGet("/openapi.json", OpenApiDocument.Get).WithMetadata(new EmulatorRouteTag(EmulatorRoute.OpenApi));
        api.MapGet("/health", InfoApi.Health).WithMetadata(new EmulatorRouteTag(EmulatorRoute.Health));
        api.MapGet("/paths", InfoApi.Paths).WithMetadata(new EmulatorRouteTag(EmulatorRoute.Paths));
        AdminApi.Map(endpoints);
        return api;
    }

    /// <summary>
    /// For an app that is only the emulator: unknown routes and wrong methods answer as FastAPI does,
    /// <c>404 {"detail": "Not Found"}</c> and <c>405 {"detail": "Method Not Allowed"}</c>.
    /// </summary>
    public static IApplicationBuilder UseFastApiStatusPages(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        await next(context);
        if (context.Response.HasStarted)
        {
            return;
        }

        var detail = context.Response.StatusCode switch
        {
            StatusCodes.Status404NotFound => "Not Found",
            StatusCodes.Status405MethodNotAllowed => "Method Not Allowed",
            _ => null,
        };
        if (detail is not null)
        {
            await ApiJson.Detail(detail, context.Response.StatusCode).ExecuteAsync(context);
        }
    });
}
