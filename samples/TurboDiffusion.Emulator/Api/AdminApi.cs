using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace TurboDiffusion.Emulator;

/// <summary>
/// The emulator's own routes under <c>/_emulator/</c>: fault knobs, counters, a job's status log and a
/// summary. They are not part of the contract, never faulted and never counted.
/// </summary>
internal static class AdminApi
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapGroup("/_emulator");
        admin.MapGet("/faults", (FaultController faults) => AdminJson.Json(faults.Current));
        admin.MapPut("/faults", PutFaultsAsync);
        admin.MapPost("/reset", (FaultController faults, RequestCounters counters) =>
        {
            faults.Reset();
            counters.Reset();
            return AdminJson.Json(faults.Current);
        });
        admin.MapGet("/counters", (RequestCounters counters) => AdminJson.Json(counters.Snapshot()));
        admin.MapDelete("/counters", (RequestCounters counters) =>
        {
            counters.Reset();
            return AdminJson.Json(counters.Snapshot());
        });
        admin.MapGet("/jobs/{jobId}/events", (string jobId, JobEventLog events) => AdminJson.Json(events.ForJob(jobId)));
        admin.MapGet("/status", (EmulatorPaths paths, StorageOrigin storage, JobQueue queue, IVideoEngine engine, IOptions<EmulatorOptions> options) =>
            AdminJson.Json(new
            {
                storageBaseUrl = storage.BaseUri?.ToString(),
                dataDirectory = paths.DataDirectory,
                temporaryDataDirectory = paths.IsTemporary,
                workerCount = options.Value.WorkerCount,
                queuedJobs = queue.Count,
                engine = engine.Describe(),
            }));
    }

    /// <summary>Merges the fields sent onto the current faults (send only what changes); unknown or invalid values give 400.</summary>
    private static async Task<IResult> PutFaultsAsync(HttpRequest request, FaultController faults, CancellationToken cancellationToken)
    {
        try
        {
            var patch = await JsonNode.ParseAsync(request.Body, cancellationToken: cancellationToken) as JsonObject
                ?? throw new JsonException("The body must be a JSON object of fault fields.");
            var next = faults.Update(current =>
            {
                var merged = JsonSerializer.SerializeToNode(current, AdminJson.Options)!.AsObject();
                Merge(merged, patch);
                return merged.Deserialize<EmulatorFaults>(AdminJson.Options)
                    ?? throw new JsonException("The body must be a JSON object of fault fields.");
            });
            return AdminJson.Json(next);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or NotSupportedException)
        {
            return AdminJson.Json(new { errors = new[] { e.Message } }, StatusCodes.Status400BadRequest);
        }
    }

    private static void Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (name, value) in patch.ToList())
        {
            var existing = target.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
            if (existing is not null && target[existing] is JsonObject inner && value is JsonObject innerPatch)
            {
                Merge(inner, innerPatch);
                continue;
            }

            if (existing is null)
            {
                throw new JsonException($"Unknown fault '{name}'.");
            }

            target[existing] = value?.DeepClone();
        }
    }
}
