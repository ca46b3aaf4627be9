using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TurboDiffusion.Emulator;

/// <summary>Marks an API endpoint with the route it counts as.</summary>
internal sealed record EmulatorRouteTag(EmulatorRoute Route);

/// <summary>
/// The endpoint filter in front of every API route: counts the request, then plays the faults in the
/// order a request meets them in production (latency, the proxy, rate limiting, the app itself), and
/// turns any unhandled exception into Starlette's bare 500.
/// </summary>
internal static partial class ApiFaults
{
    public static async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var services = http.RequestServices;
        var route = http.GetEndpoint()?.Metadata.GetMetadata<EmulatorRouteTag>()?.Route;
        var controller = services.GetRequiredService<FaultController>();
        if (route is { } counted)
        {
            services.GetRequiredService<RequestCounters>().Increment(counted);
        }

        var faults = controller.Current;
        if (faults.ExtraLatency > TimeSpan.Zero)
        {
            await Task.Delay(faults.ExtraLatency, services.GetRequiredKeyedService<TimeProvider>(EmulatorServiceKeys.Clock), http.RequestAborted);
        }

        var target = route switch
        {
            EmulatorRoute.PostJob => FaultTarget.Post,
            EmulatorRoute.GetJob => FaultTarget.Get,
            _ => FaultTarget.None,
        };
        if (target != FaultTarget.None)
        {
            if (Hits(faults.ProxyHtml502, target))
            {
                return ProxyPages.BadGateway();
            }

            if (target == FaultTarget.Get && controller.TryTakeGetError(out var getError))
            {
                http.Response.Headers.RetryAfter = getError.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                var text = getError.StatusCode == StatusCodes.Status429TooManyRequests ? "Too Many Requests" : "Service Unavailable";
                return ApiJson.Detail(text, getError.StatusCode);
            }

            if (Hits(faults.UnhandledError, target))
            {
                return ApiJson.InternalServerError();
            }
        }

        try
        {
            return await next(context);
        }
        catch (Exception e) when (!http.RequestAborted.IsCancellationRequested)
        {
            LogUnhandled(services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ApiFaults)), e, http.Request.Path);
            return ApiJson.InternalServerError();
        }
    }

    private static bool Hits(FaultTarget fault, FaultTarget target) => fault == FaultTarget.All || fault == target;

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error on {Path}; answered 500 Internal Server Error")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string path);
}
