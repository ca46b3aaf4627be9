using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace TurboDiffusion.Emulator;

/// <summary>The two job routes.</summary>
internal static class JobsApi
{
    public static async Task<IResult> PostJobAsync(HttpRequest request, JobSubmitter submitter, IOptions<EmulatorOptions> options, CancellationToken cancellationToken)
    {
        var (job, error) = await JobFormParser.ParseAsync(request, options.Value, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        await using var image = job!.Image;
        var outcome = await submitter.SubmitAsync(job, cancellationToken);
        return outcome.Accepted is { } accepted
            ? ApiJson.Json(accepted)
            : ApiJson.Detail(outcome.BrokerFailure!, StatusCodes.Status500InternalServerError);
    }

    public static async Task<IResult> GetJobAsync([FromRoute(Name = "job_id")] string jobId, JobStatusReader reader, CancellationToken cancellationToken) =>
        ApiJson.Json(await reader.ReadAsync(jobId, cancellationToken));
}
