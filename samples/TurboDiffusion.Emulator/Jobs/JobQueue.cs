using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace TurboDiffusion.Emulator;

/// <summary>A job as the broker carries it: everything the worker needs, so it runs even when the DB is down.</summary>
internal sealed record QueuedJob(
    string JobId,
    string Prompt,
    long Seed,
    long NumSteps,
    bool Quantized,
    int FrameCount,
    string InputKey,
    string OutputKey,
    DateTimeOffset EnqueuedAt)
{
    /// <summary>The clip length asked for, when one was.</summary>
    public double? DurationSeconds { get; init; }

    /// <summary>
    /// Frames to render for <paramref name="durationSeconds"/> (the default clip when none was asked): at least one, so
    /// the stand-in renders something for any positive duration the VideoGen route lets through. The POST and the
    /// restart's re-queue both count frames here.
    /// </summary>
    public static int FrameCountFor(double? durationSeconds, EmulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return durationSeconds is { } seconds ? Math.Max(1, (int)PythonSemantics.Round(seconds * options.Fps)) : options.DefaultFrameCount;
    }
}

/// <summary>The broker's queue (Redis in production): bounded, first in first out, read by the workers.</summary>
internal sealed class JobQueue(IOptions<EmulatorOptions> options)
{
    private readonly Channel<QueuedJob> channel = Channel.CreateBounded<QueuedJob>(
        new BoundedChannelOptions(options.Value.QueueCapacity) { FullMode = BoundedChannelFullMode.Wait });

    public ChannelReader<QueuedJob> Reader => channel.Reader;

    public int Count => channel.Reader.Count;

    /// <summary>False when the queue is full; the API then reports a broker failure.</summary>
    public bool TryEnqueue(QueuedJob job) => channel.Writer.TryWrite(job);
}
