using Microsoft.Extensions.Time.Testing;
using Refit;
using TurboDiffusion.Client.Contract;
using TurboDiffusion.Client.Http;

namespace I2VStudio.Components.Tests.Diagnostics;

/// <summary>Answers the diagnostics calls with set values; each call "takes" a set time on the fake clock.</summary>
internal sealed class FakeTurboDiffusionApi(FakeTimeProvider time) : ITurboDiffusionApi
{
    public Func<HealthResponse> Health { get; set; } = () => new HealthResponse { Status = "ok" };
    public Func<PathsResponse> Paths { get; set; } = () => new PathsResponse { ModelsDir = "/srv/models", DataDir = "/srv/data", LogsDir = "/srv/logs" };
    public Func<ModelsResponse> Models { get; set; } = () => new ModelsResponse();
    public Func<CapabilitiesResponse> Capabilities { get; set; } = () => new CapabilitiesResponse();
    public TimeSpan HealthDelay { get; set; } = TimeSpan.FromMilliseconds(12);
    public int Calls { get; private set; }

    public Task<HealthResponse> GetHealthAsync(CancellationToken cancellationToken) => Answer(Health, HealthDelay);
    public Task<PathsResponse> GetPathsAsync(CancellationToken cancellationToken) => Answer(Paths, TimeSpan.Zero);
    public Task<ModelsResponse> GetModelsAsync(CancellationToken cancellationToken) => Answer(Models, TimeSpan.Zero);
    public Task<CapabilitiesResponse> GetCapabilitiesAsync(CancellationToken cancellationToken) => Answer(Capabilities, TimeSpan.Zero);

    private Task<T> Answer<T>(Func<T> answer, TimeSpan delay)
    {
        Calls++;
        time.Advance(delay);
        return Task.FromResult(answer());
    }

    public Task<CreateJobResponse> CreateI2VJobAsync(StreamPart image, string prompt, string seed, string numSteps, string quantized,
        string? durationSeconds, string? enhancePrompt, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<JobStatusResponse> GetJobAsync(string jobId, CancellationToken cancellationToken) => throw new NotSupportedException();
}
