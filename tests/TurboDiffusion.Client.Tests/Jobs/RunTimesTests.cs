using TurboDiffusion.Client.Jobs;
using TurboDiffusion.Client.Jobs.I2V;
using TurboDiffusion.Client.Jobs.Polling;

namespace TurboDiffusion.Client.Tests.Jobs;

/// <summary>
/// The one set of run-time rules: the UI's estimate (<see cref="RunTimes.ExpectedRun"/>) and the tracker's learned
/// polling (<see cref="RunDurations"/>) must agree on what a run is, which runs compare, and the typical one.
/// </summary>
public sealed class RunTimesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 14, 0, 0, TimeSpan.Zero);

    /// <summary>A succeeded record created at minute <paramref name="minute"/> whose timeline is (seconds after creation, phase).</summary>
    private static JobRecord Finished(string id, int minute, I2VParams parameters, params (double At, JobPhase Phase)[] timeline)
    {
        var created = T0.AddMinutes(minute);
        return new JobRecord
        {
            Id = id,
            JobType = I2VParams.JobTypeName,
            Params = parameters.ToJson(),
            Status = new JobStatus(null, null, JobPhase.Succeeded),
            Timeline = [.. timeline.Select(t => new JobStatusChange(created.AddSeconds(t.At), null, null, t.Phase))],
            CreatedAt = created,
            CompletedAt = created.AddSeconds(timeline[^1].At),
        };
    }

    private static JobRecord Ran(string id, int minute, double seconds, I2VParams? parameters = null) =>
        Finished(id, minute, parameters ?? new I2VParams { Seed = minute, NumSteps = 4 },
            (0, JobPhase.Queued), (10, JobPhase.Running), (10 + seconds, JobPhase.Succeeded));

    private static JobRecord Running(int minute, I2VParams? parameters = null) => new()
    {
        Id = "now",
        JobType = I2VParams.JobTypeName,
        Params = (parameters ?? new I2VParams { Seed = 999, NumSteps = 4 }).ToJson(),
        Status = new JobStatus(null, null, JobPhase.Running),
        CreatedAt = T0.AddMinutes(minute),
    };

    [Fact]
    public void ExpectedRun_RequeuedRuns_CountOnlyTheLastStretch()
    {
        // Each ran 30 s, went back to the queue (a worker restart), then ran 60 s to the end. Counting from the first
        // Running answer (what the UI's estimate used to do) would say 100 s; the run that finished took 60 s.
        JobRecord[] history =
        [
            .. Enumerable.Range(1, 3).Select(i => Finished("r" + i, i, new I2VParams { Seed = i, NumSteps = 4 },
                (0, JobPhase.Running), (30, JobPhase.Queued), (40, JobPhase.Running), (100, JobPhase.Succeeded))),
        ];

        Assert.Equal(TimeSpan.FromSeconds(60), RunTimes.ExpectedRun(Running(10), history, 3));
    }

    [Fact]
    public void ExpectedRun_OtherLengthSameStepsAndPrecision_NotComparable()
    {
        // A 10 s video takes longer than a 5 s one at the same steps: only the seed is set aside.
        var longer = new I2VParams { NumSteps = 4, DurationSeconds = 10 };
        JobRecord[] history = [Ran("a", 1, 60), Ran("b", 2, 62), Ran("c", 3, 64), Ran("d", 4, 200, longer with { Seed = 4 })];

        Assert.Equal(TimeSpan.FromSeconds(62), RunTimes.ExpectedRun(Running(10), history, 3));
        Assert.Null(RunTimes.ExpectedRun(Running(10, longer with { Seed = 7 }), history, 2));
    }

    [Fact]
    public void ExpectedRun_SeedOnlyDiffers_Comparable()
    {
        JobRecord[] history = [Ran("a", 1, 60, new I2VParams { Seed = 1 }), Ran("b", 2, 70, new I2VParams { Seed = 2 })];

        Assert.Equal(TimeSpan.FromSeconds(65), RunTimes.ExpectedRun(Running(10, new I2VParams { Seed = 3 }), history, 2));
    }

    [Fact]
    public void ExpectedRun_AdoptedJobWithoutParameters_Null()
    {
        var adopted = Running(10) with { Params = System.Text.Json.JsonDocument.Parse("{}").RootElement.Clone() };

        Assert.Null(RunTimes.ExpectedRun(adopted, [Ran("a", 1, 60), Ran("b", 2, 60), Ran("c", 3, 60)], 3));
    }

    [Fact]
    public void ExpectedRun_LinkFoundGone_LeftOut()
    {
        // Its end was noticed when the page came back, not when it happened.
        JobRecord[] history = [Ran("a", 1, 60), Ran("b", 2, 62), Ran("late", 3, 3600) with { OutputLinkGone = true }];

        Assert.Null(RunTimes.ExpectedRun(Running(10), history, 3));
        Assert.Equal(TimeSpan.FromSeconds(61), RunTimes.ExpectedRun(Running(10), history, 2));
    }

    [Fact]
    public void TrackerLearner_SameHistory_SameMedianAsTheEstimate()
    {
        JobRecord[] history =
        [
            Ran("a", 1, 60), Ran("b", 2, 80), Ran("c", 3, 100), Ran("d", 4, 400),
            Ran("other", 5, 500, new I2VParams { NumSteps = 2 }),
            Finished("requeued", 6, new I2VParams { Seed = 6, NumSteps = 4 },
                (0, JobPhase.Running), (30, JobPhase.Queued), (40, JobPhase.Running), (130, JobPhase.Succeeded)),
        ];
        var learner = new RunDurations(maxSamples: 10);
        foreach (var record in history) learner.Observe(record);

        var estimate = RunTimes.ExpectedRun(Running(10), history, 3);
        var learned = learner.Expect(Running(10), 3);

        // Runs 60, 80, 90 (the requeued one's last stretch), 100, 400: both say 90 s.
        Assert.Equal(TimeSpan.FromSeconds(90), estimate);
        Assert.Equal(estimate, learned?.Median);
        Assert.Equal(5, learned?.Samples);
        Assert.Equal(TimeSpan.FromSeconds(60), learned?.Shortest);
        Assert.Equal(TimeSpan.FromSeconds(100), learned?.Longest);
    }

    [Fact]
    public void RunStart_RunningNow_StartOfCurrentStretch()
    {
        var record = Running(0) with
        {
            Timeline =
            [
                new JobStatusChange(T0.AddSeconds(5), null, null, JobPhase.Running),
                new JobStatusChange(T0.AddSeconds(20), null, null, JobPhase.Queued),
                new JobStatusChange(T0.AddSeconds(40), null, null, JobPhase.Running),
                new JobStatusChange(T0.AddSeconds(42), null, null, JobPhase.Running),
            ],
        };

        Assert.Equal(T0.AddSeconds(40), RunTimes.RunStart(record));
    }
}
