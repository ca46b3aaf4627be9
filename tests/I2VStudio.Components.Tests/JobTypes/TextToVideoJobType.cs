using System.Text.Json;
using TurboDiffusion.Client.Jobs;

namespace I2VStudio.Components.Tests.JobTypes;

/// <summary>The parameters of a text-to-video request: no image, a duration instead of steps.</summary>
/// <param name="Seed">The seed.</param>
/// <param name="DurationSeconds">How long the clip should be.</param>
internal sealed record TextToVideoParams(long Seed, double DurationSeconds)
{
    public JsonElement ToJson() => JsonSerializer.SerializeToElement(new Dictionary<string, object>
    {
        ["seed"] = Seed,
        ["duration_seconds"] = DurationSeconds,
    });

    public static TextToVideoParams FromJson(JsonElement json) =>
        new(json.GetProperty("seed").GetInt64(), json.GetProperty("duration_seconds").GetDouble());
}

/// <summary>
/// A second job type, "t2v", as the Projects workspace would add one: a test double for a backend that takes a prompt
/// and a duration. Its POST waits until the test releases it (so the Submitting phase can be seen); its status GET
/// answers whatever <see cref="Answer"/> currently says and signals every call.
/// </summary>
internal sealed class TextToVideoJobType : IJobTypeDefinition
{
    public const string TypeName = "t2v";

    private TaskCompletionSource<string> _submit = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name => TypeName;

    /// <summary>What the status GET answers now.</summary>
    public JobSnapshot Answer { get; set; } = new() { Celery = "PENDING" };

    /// <summary>The requests POSTed so far, with whether an image stream came along.</summary>
    public List<(JobRequest Request, bool HadImage)> Submitted { get; } = [];

    /// <summary>Lets the pending POST answer with <paramref name="jobId"/>.</summary>
    public void CompleteSubmit(string jobId) => _submit.TrySetResult(jobId);

    public async Task<string> SubmitAsync(JobRequest request, Stream? image, CancellationToken cancellationToken)
    {
        Submitted.Add((request, image is not null));
        var jobId = await _submit.Task.WaitAsync(cancellationToken);
        _submit = new(TaskCreationOptions.RunContinuationsAsynchronously);
        return jobId;
    }

    public Task<JobSnapshot> GetStatusAsync(string jobId, CancellationToken cancellationToken)
    {
        return Task.FromResult(Answer);
    }

    public JsonElement WithSeed(JsonElement parameters, long seed) => (TextToVideoParams.FromJson(parameters) with { Seed = seed }).ToJson();
}
