using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Bunit;
using I2VStudio.Bench.Infrastructure;
using I2VStudio.Components;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Components.Web.Virtualization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Microsoft.JSInterop;
using Microsoft.JSInterop.Infrastructure;
using TurboDiffusion.Client.Jobs;

namespace I2VStudio.Bench.Scenarios;

/// <summary>
/// Scenario 4's render figure (BenchmarkDotNet, in-process): the library's <see cref="JobPanel"/> rendering 1,000 stored
/// jobs against 1, server-side, in bUnit's renderer (Blazor's own renderer and diff; bUnit also writes the markup, which
/// the circuit does not, so this errs on the slow side). No browser, no circuit, no storage: only the render.
/// </summary>
/// <remarks>
/// <para>The panel is presentational: it lists the records it is given. It is driven the way
/// <see cref="I2VStudioPage"/> drives it, by <see cref="JobListOwner"/>: a <see cref="StudioJobsState"/> over the tracker,
/// its data passed to the panel, its <c>Changed</c> answered with a re-render.</para>
/// <para>The sequence is the page's: the panel renders while the tracker is still loading (empty list), the owner's
/// <c>InitializeAsync</c> completes with the records already in memory, the panel re-renders with them, and
/// <see cref="Virtualize{TItem}"/> asks the browser for its viewport, answered here the way Blazor's script answers it
/// for a list window of <see cref="ContainerHeight"/> px: the visible cards plus the overscan, as many as Chromium shows
/// in the browser figure.</para>
/// <para>The records are the browser figure's (<see cref="StoredJobs.Finished"/>), except the newest, which is running:
/// a running card asks for its expected run time, which reads every record, and it is the one a poll updates.</para>
/// </remarks>
public abstract class JobListRenderBase : IDisposable
{
    /// <summary>The height of the list window Virtualize is told about: a 1280 × 720 viewport's.</summary>
    public const float ContainerHeight = 720;

    private BunitContext? _context;

    [Params(1, 1000)]
    public int Jobs { get; set; }

    protected BunitContext Context => _context ?? throw new InvalidOperationException("Not set up.");

    protected BenchTracker Tracker { get; } = new();

    /// <summary>The page's part that shows the job list: the owner with the panel inside.</summary>
    protected IRenderedComponent<JobListOwner>? Owner { get; set; }

    /// <summary>
    /// Render updates bUnit counted for the owner so far (its <c>RenderCount</c>): one per render batch that touched the
    /// owner or a component inside it, and one more per component re-rendered in a batch under a parent whose own
    /// markup did not change. So not render batches: at least one per batch, and about one per re-rendered component
    /// after a poll.
    /// </summary>
    public int Batches => Owner?.RenderCount ?? 0;

    protected void SetUpContext()
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en-US");
        var origin = new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero);
        var records = Enumerable.Range(0, Jobs).Select(i => StoredJobs.Finished(i, origin.AddMinutes(i * 9))).Reverse().ToList();
        records[0] = RunningVersion(records[0], 0);
        Tracker.Records = records;

        _context = new BunitContext();
        _context.JSInterop.Mode = JSRuntimeMode.Loose; // MudBlazor's own calls answer with defaults
        _context.JSInterop.AddInvocationHandler(new ViewportHandler(ContainerHeight));
        _context.Services.AddI2VStudio(new ConfigurationBuilder().Build());
        _context.Services.RemoveAll<IJobTracker>();
        _context.Services.AddSingleton<IJobTracker>(Tracker);
        _context.Services.RemoveAll<TimeProvider>();
        // A clock that never moves, so the list's once-a-second ticker never fires during a measurement.
        _context.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(origin.AddMinutes(Jobs * 9 + 1)));
    }

    /// <summary>Renders the panel as the page does (through its owner) and returns it with its cards in.</summary>
    protected IRenderedComponent<JobListOwner> RenderPanel()
    {
        Tracker.Loaded = false;
        return Context.Render<JobListOwner>();
    }

    /// <summary>The newest job as a poll sees it running, at step <paramref name="step"/> (each step a new record).</summary>
    protected static JobRecord RunningVersion(JobRecord finished, int step)
    {
        var t = finished.CreatedAt;
        return finished with
        {
            Status = new JobStatus("STARTED", "RUNNING", JobPhase.Running),
            OutputUrl = null,
            OutputUrlExpiresAt = null,
            Timeline = [.. finished.Timeline.Take(5)],
            CompletedAt = null,
            LastChangeAt = t.AddSeconds(11 + step),
            Seen = false,
            Revision = 5 + step,
            UpdatedAt = t.AddSeconds(11 + step),
        };
    }

    /// <summary>How many job cards the panel shows now.</summary>
    public int Cards => Owner is null ? 0 : Owner.FindComponents<JobCard>().Count;

    /// <summary>
    /// What the measured renders showed, per benchmark and job count. BenchmarkDotNet makes its own instances of the
    /// benchmark classes, so they report here (outside the measurements) and <see cref="JobListRenderScenario"/>
    /// refuses figures whose renders showed no card.
    /// </summary>
    internal static ConcurrentDictionary<string, (int Cards, int Batches)> Seen { get; } = new(StringComparer.Ordinal);

    /// <summary>The key of <see cref="Seen"/> for a benchmark class and a job count.</summary>
    internal static string SeenKey<TBenchmark>(int jobs) => typeof(TBenchmark).Name + "/" + jobs.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Keeps the fewest cards (and their render updates) any measured render of <typeparamref name="TBenchmark"/> showed.
    /// Named, not <c>GetType()</c>: the in-process toolchain runs a generated subclass.
    /// </summary>
    protected void RecordSeen<TBenchmark>(int cards, int batches) =>
        Seen.AddOrUpdate(SeenKey<TBenchmark>(Jobs), (cards, batches), (_, before) => cards < before.Cards ? (cards, batches) : before);

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (!disposing) return;
        // MudBlazor's services are only IAsyncDisposable.
        _context?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _context = null;
    }

    /// <summary>Answers Virtualize's <c>init</c> the way Blazor's script does once it sees the top spacer: a list window of the given height.</summary>
    private sealed class ViewportHandler(float containerHeight)
        : JSRuntimeInvocationHandler(i => i.Identifier.StartsWith("Blazor._internal.Virtualize.", StringComparison.Ordinal), isCatchAllHandler: false)
    {
        private static readonly Lazy<(PropertyInfo Value, MethodInfo OnVisible)> Reflection = new(() =>
        {
            var interop = typeof(Virtualize<>).Assembly.GetType("Microsoft.AspNetCore.Components.Web.Virtualization.VirtualizeJsInterop")
                ?? throw new InvalidOperationException("VirtualizeJsInterop not found.");
            var value = typeof(DotNetObjectReference<>).MakeGenericType(interop).GetProperty("Value")
                ?? throw new InvalidOperationException("DotNetObjectReference.Value not found.");
            var onVisible = interop.GetMethod("OnSpacerBeforeVisible") ?? throw new InvalidOperationException("OnSpacerBeforeVisible not found.");
            return (value, onVisible);
        });

        protected override Task<IJSVoidResult> HandleAsync(JSRuntimeInvocation invocation)
        {
            if (invocation.Identifier == "Blazor._internal.Virtualize.init" && invocation.Arguments.Count > 0 && invocation.Arguments[0] is { } self)
            {
                var (value, onVisible) = Reflection.Value;
                // spacerSize 0 (scrolled to the top), spacerSeparation 0 (nothing measured yet), containerSize; any
                // further parameter a newer framework adds gets its default.
                var parameters = onVisible.GetParameters();
                var args = new object?[parameters.Length];
                args[0] = 0f;
                args[1] = 0f;
                args[2] = containerHeight;
                for (var i = 3; i < args.Length; i++) args[i] = parameters[i].ParameterType.IsValueType ? Activator.CreateInstance(parameters[i].ParameterType) : null;
                onVisible.Invoke(value.GetValue(self), args);
            }

            SetVoidResult();
            return base.HandleAsync(invocation);
        }
    }
}

/// <summary>The panel's whole first render with the records loaded: empty render, load, list render, Virtualize's window.</summary>
[MemoryDiagnoser]
public class JobListFirstRenderBenchmarks : JobListRenderBase
{
    [GlobalSetup]
    public void Setup() => SetUpContext();

    // BenchmarkDotNet also runs this after its overhead iterations, which render nothing: only a render is recorded.
    [IterationCleanup]
    public void TearDownPanel()
    {
        if (Owner is null) return;
        RecordSeen<JobListFirstRenderBenchmarks>(Cards, Batches);
        Context.DisposeComponentsAsync().GetAwaiter().GetResult();
        Owner = null;
    }

    [Benchmark]
    public int FirstRender()
    {
        Owner = RenderPanel();
        return Owner.RenderCount;
    }

    [GlobalCleanup]
    public void Cleanup() => Dispose();
}

/// <summary>One poll update: the running job's record changes, the tracker tells the owner, the panel re-renders.</summary>
[MemoryDiagnoser]
public class JobListPollRenderBenchmarks : JobListRenderBase
{
    private JobRecord[] _versions = [];
    private int _step;
    private int _batchesAtSetup;

    [GlobalSetup]
    public void Setup()
    {
        SetUpContext();
        Owner = RenderPanel();
        _batchesAtSetup = Batches;
        _versions = [RunningVersion(Tracker.Records[0], 1), RunningVersion(Tracker.Records[0], 2)];
    }

    /// <summary>A poll's update, until the re-render it causes has ended.</summary>
    [Benchmark]
    public async Task PollUpdate()
    {
        await Tracker.UpdateAsync(_versions[_step++ & 1]);
        await Owner!.Instance.ChangeRendered;
    }

    /// <summary>The cards shown after the polls and the render updates they caused (0: the polls re-rendered nothing).</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        RecordSeen<JobListPollRenderBenchmarks>(Cards, Batches - _batchesAtSetup);
        Dispose();
    }
}

/// <summary>
/// What <see cref="I2VStudioPage"/> does for its job list, and nothing else: it creates a <see cref="StudioJobsState"/>
/// over the session's tracker, initialises it after its first render, passes its data to <see cref="JobPanel"/> and
/// carries out the panel's events through it, and re-renders (on the renderer's thread) when it changes.
/// </summary>
public sealed class JobListOwner : ComponentBase, IDisposable
{
    private readonly CancellationTokenSource _life = new();
    private StudioJobsState _jobs = default!;

    [Inject] private IJobTracker Tracker { get; set; } = default!;

    [Inject] private StudioJobActions Actions { get; set; } = default!;

    /// <summary>The re-render the last change asked for (the page discards it; the poll benchmark waits for it).</summary>
    public Task ChangeRendered { get; private set; } = Task.CompletedTask;

    protected override void OnInitialized()
    {
        _jobs = new StudioJobsState(Tracker, Actions);
        _jobs.Changed += OnJobsChanged;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender) return;
        await _jobs.InitializeAsync(_life.Token);
        StateHasChanged();
    }

    private void OnJobsChanged(object? sender, EventArgs e) => ChangeRendered = InvokeAsync(StateHasChanged);

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        var ct = _life.Token;
        builder.OpenComponent<JobPanel>(0);
        builder.AddComponentParameter(1, nameof(JobPanel.Jobs), _jobs.Jobs);
        builder.AddComponentParameter(2, nameof(JobPanel.SelectedId), _jobs.SelectedId);
        builder.AddComponentParameter(3, nameof(JobPanel.SelectedIdChanged), EventCallback.Factory.Create<string?>(this, id => _jobs.SelectAsync(id, ct)));
        builder.AddComponentParameter(4, nameof(JobPanel.Tracking), _jobs.Tracking);
        builder.AddComponentParameter(5, nameof(JobPanel.TrackProblem), _jobs.TrackProblem);
        builder.AddComponentParameter(6, nameof(JobPanel.OnTrack), EventCallback.Factory.Create<string>(this, id => _jobs.TrackAsync(id, ct)));
        builder.AddComponentParameter(7, nameof(JobPanel.OnSubmitAgain), EventCallback.Factory.Create<JobRecord>(this, j => _jobs.SubmitAgainAsync(j, ct)));
        builder.AddComponentParameter(8, nameof(JobPanel.OnRetry), EventCallback.Factory.Create<JobRecord>(this, j => _jobs.RetryAsync(j, newSeed: false, ct)));
        builder.AddComponentParameter(9, nameof(JobPanel.OnRetryWithNewSeed), EventCallback.Factory.Create<JobRecord>(this, j => _jobs.RetryAsync(j, newSeed: true, ct)));
        builder.AddComponentParameter(10, nameof(JobPanel.OnVariants), EventCallback.Factory.Create<JobRecord>(this, j => _jobs.VariantsAsync(j, ct)));
        builder.AddComponentParameter(11, nameof(JobPanel.OnKeepChecking), EventCallback.Factory.Create<JobRecord>(this, j => _jobs.KeepCheckingAsync(j, ct)));
        builder.AddComponentParameter(12, nameof(JobPanel.OnDownload), EventCallback.Factory.Create<JobRecord>(this, j => _jobs.DownloadAsync(j, ct)));
        builder.AddComponentParameter(13, nameof(JobPanel.OnCopyId), EventCallback.Factory.Create<JobRecord>(this, j => _jobs.CopyIdAsync(j, ct)));
        builder.AddComponentParameter(14, nameof(JobPanel.OnRemove), EventCallback.Factory.Create<JobRecord>(this, j => _jobs.RemoveAsync(j, ct)));
        builder.CloseComponent();
    }

    public void Dispose()
    {
        _jobs.Changed -= OnJobsChanged;
        _jobs.Dispose();
        _life.Cancel();
        _life.Dispose();
    }
}

/// <summary>Runs both, checks what was rendered, and adds the figures.</summary>
public static class JobListRenderScenario
{
    public const string Target = "≤ 100 ms (render of 1,000)";

    public static void Run(Report report, string artifacts)
    {
        // What the measured renders show: count the cards once, outside the measurements.
        var cards = new Dictionary<int, (int First, int FirstBatches, int AfterPoll, int PollBatches)>();
        foreach (var jobs in new[] { 1, 1000 })
        {
            using var probe = new JobListPollRenderBenchmarks { Jobs = jobs };
            probe.Setup();
            var (firstCards, firstBatches) = (probe.Cards, probe.Batches);
            probe.PollUpdate().GetAwaiter().GetResult();
            cards[jobs] = (firstCards, firstBatches, probe.Cards, probe.Batches - firstBatches);
        }
        // An empty panel renders fast: never report it as the list's render.
        RequireCards("the probe's first render", cards[1000].First, cards[1].First);
        RequireCards("the probe's render after a poll", cards[1000].AfterPoll, cards[1].AfterPoll);
        if (cards[1000].PollBatches == 0 || cards[1].PollBatches == 0)
            throw new InvalidOperationException($"A poll update re-rendered nothing ({cards[1000].PollBatches} render updates with 1,000 jobs, {cards[1].PollBatches} with 1): the owner does not hear the tracker.");

        var job = InProcessBenchmarks.Job(warmups: 3, iterations: 15);
        // A first render needs a fresh panel: one render per iteration, torn down outside the measurement.
        var firstJob = job.WithInvocationCount(1).WithUnrollFactor(1).WithWarmupCount(5).WithIterationCount(40);
        var pollJob = job.WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(200));
        JobListRenderBase.Seen.Clear();
        var first = BenchmarkRunner.Run<JobListFirstRenderBenchmarks>(InProcessBenchmarks.Config(firstJob, artifacts));
        var poll = BenchmarkRunner.Run<JobListPollRenderBenchmarks>(InProcessBenchmarks.Config(pollJob, artifacts));

        // The measured renders themselves: each iteration's first render and the polls' re-renders showed cards.
        var firstSeen = (Seen<JobListFirstRenderBenchmarks>(1000), Seen<JobListFirstRenderBenchmarks>(1));
        var pollSeen = (Seen<JobListPollRenderBenchmarks>(1000), Seen<JobListPollRenderBenchmarks>(1));
        RequireCards("the measured first renders (fewest cards of any iteration)", firstSeen.Item1.Cards, firstSeen.Item2.Cards);
        RequireCards("the measured poll re-renders", pollSeen.Item1.Cards, pollSeen.Item2.Cards);
        if (pollSeen.Item1.Batches == 0 || pollSeen.Item2.Batches == 0)
            throw new InvalidOperationException("The measured poll updates re-rendered nothing: the figure would time an update no one sees.");

        var first1 = Mean(first, 1);
        var first1000 = Mean(first, 1000);
        var poll1 = Mean(poll, 1);
        var poll1000 = Mean(poll, 1000);
        if (!double.IsFinite(first1) || !double.IsFinite(first1000) || !double.IsFinite(poll1) || !double.IsFinite(poll1000))
            throw new InvalidOperationException($"A job list benchmark gave no result (first render {first1000} / {first1} ns, poll {poll1000} / {poll1} ns): see BenchmarkDotNet's output.");
        report.Add(new Figure
        {
            Scenario = "4", Metric = "job list render with 1,000 jobs (server-side, first render)", Unit = "ms",
            Ours = first1000 / 1e6, BaselineName = "1 job", Baseline = first1 / 1e6, Target = Target,
            Met = first1000 / 1e6 <= 100, // an empty render never gets here (RequireCards above)
            Note = $"BenchmarkDotNet in-process, mean of 40 renders; the library's JobPanel fed by StudioJobsState as the page feeds it, in bUnit's renderer: empty render, records loaded, list render, " +
                   $"Virtualize's window for {JobListRenderBase.ContainerHeight:0} px → {cards[1000].First} cards rendered of 1,000 ({cards[1].First} of 1), " +
                   $"{cards[1000].FirstBatches} render updates in bUnit's count ({cards[1].FirstBatches}); bUnit writes the panel's markup after each batch, so this errs on the slow side; " +
                   $"the 1,000 cost {(first1000 - first1) / 1e6:0.00} ms more than 1; allocated {Bytes(first, 1000) / 1024:0} KB vs {Bytes(first, 1) / 1024:0} KB; " +
                   "no circuit, no storage, no browser (see the end-to-end row)",
        });
        report.Add(new Figure
        {
            Scenario = "4", Metric = "job list re-render after a poll update, 1,000 jobs (server-side)", Unit = "ms",
            Ours = poll1000 / 1e6, BaselineName = "1 job", Baseline = poll1 / 1e6,
            Note = $"BenchmarkDotNet in-process; the running job's record changes, the tracker tells the owner (StudioJobsState, as the page), the panel re-renders " +
                   $"({cards[1000].AfterPoll} cards of 1,000, {cards[1].AfterPoll} of 1); bUnit counted {cards[1000].PollBatches} render updates ({cards[1].PollBatches} with 1 job: " +
                   $"about one per re-rendered component) and writes the whole panel's markup after each batch, so this is an upper bound; allocated {Bytes(poll, 1000) / 1024:0} KB vs {Bytes(poll, 1) / 1024:0} KB",
        });
    }

    /// <summary>Throws unless the 1,000 jobs showed some cards (but not all: Virtualize's window) and the 1 job its card.</summary>
    private static void RequireCards(string what, int of1000, int of1)
    {
        if (of1000 is <= 0 or >= 1000 || of1 != 1)
            throw new InvalidOperationException(
                $"The job list benchmark is not measuring the list: {what} showed {of1000} cards of 1,000 and {of1} of 1 " +
                "(expected Virtualize's window, about 17, and 1). An empty panel renders fast; no figure is reported.");
    }

    private static (int Cards, int Batches) Seen<TBenchmark>(int jobs) =>
        JobListRenderBase.Seen.TryGetValue(JobListRenderBase.SeenKey<TBenchmark>(jobs), out var seen) ? seen : (0, 0);

    private static BenchmarkReport ReportFor(Summary summary, int jobs) =>
        summary.Reports.First(r => r.BenchmarkCase.Parameters["Jobs"] is int n && n == jobs);

    /// <summary>Mean in nanoseconds.</summary>
    private static double Mean(Summary summary, int jobs) => ReportFor(summary, jobs).ResultStatistics?.Mean ?? double.NaN;

    private static double Bytes(Summary summary, int jobs) => ReportFor(summary, jobs).BytesPerOperation();
}

/// <summary>
/// An <see cref="IJobTracker"/> holding records in memory: empty until <see cref="InitializeAsync"/> (the page's load
/// from storage), then <see cref="Records"/>, newest first. Only what the job list calls is implemented.
/// </summary>
public sealed class BenchTracker : IJobTracker
{
    private readonly List<Func<JobChange, Task>> _handlers = [];

    public List<JobRecord> Records { get; set; } = [];

    public bool Loaded { get; set; }

    public IReadOnlyList<JobRecord> Jobs => Loaded ? Records : [];

    public JobRecord? Find(string id) => Jobs.FirstOrDefault(r => r.Id == id);

    public Task InitializeAsync(CancellationToken cancellationToken)
    {
        Loaded = true;
        return Task.CompletedTask;
    }

    /// <summary>Replaces a record and tells the subscribers, as a poll does.</summary>
    public async Task UpdateAsync(JobRecord record)
    {
        var index = Records.FindIndex(r => r.Id == record.Id);
        var before = Records[index];
        Records[index] = record;
        var change = new JobChange(JobChangeKind.Updated, record.Id, record, before);
        foreach (var handler in _handlers.ToArray()) await handler(change);
    }

    public IDisposable Subscribe(Func<JobChange, Task> handler)
    {
        _handlers.Add(handler);
        return new Subscription(() => _handlers.Remove(handler));
    }

    public Task<JobRecord> SubmitAsync(JobRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<JobRecord> SubmitAgainAsync(string id, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<JobRecord> RetryAsync(string id, long? newSeed, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<JobRecord> AdoptAsync(string jobId, string jobType, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task KeepCheckingAsync(string id, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<string?> RefreshOutputUrlAsync(string id, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task MarkSeenAsync(string id, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task RemoveAsync(string id, CancellationToken cancellationToken) => throw new NotSupportedException();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private sealed class Subscription(Action onDispose) : IDisposable
    {
        public void Dispose() => onDispose();
    }
}
