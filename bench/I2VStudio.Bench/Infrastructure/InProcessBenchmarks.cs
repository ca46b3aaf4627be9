using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace I2VStudio.Bench.Infrastructure;

/// <summary>How the bench runs BenchmarkDotNet: in this process, quietly, with allocations measured.</summary>
public static class InProcessBenchmarks
{
    /// <summary>A short in-process job: one launch, <paramref name="warmups"/> warm-up and <paramref name="iterations"/> measured iterations.</summary>
    public static Job Job(int warmups, int iterations) => BenchmarkDotNet.Jobs.Job.ShortRun
        .WithToolchain(InProcessEmitToolchain.Instance)
        .WithLaunchCount(1).WithWarmupCount(warmups).WithIterationCount(iterations);

    /// <summary>Only <paramref name="job"/>, the memory diagnoser and the default columns; no console log, no log file.</summary>
    public static ManualConfig Config(Job job, string artifacts) => ManualConfig.CreateEmpty()
        .AddJob(job)
        .AddDiagnoser(MemoryDiagnoser.Default)
        .AddLogger(NullLogger.Instance)
        .AddColumnProvider(DefaultColumnProviders.Instance)
        .WithArtifactsPath(artifacts)
        .WithOptions(ConfigOptions.DisableLogFile);

    /// <summary>Bytes allocated per operation (NaN when not measured).</summary>
    public static double BytesPerOperation(this BenchmarkReport report) =>
        report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? double.NaN;
}
