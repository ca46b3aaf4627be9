using Bunit;
using I2VStudio.Components.Tests.Support;
using Microsoft.JSInterop;
using I2VStudio.Components.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using System.Text.Json.Nodes;
using TurboDiffusion.Client.Jobs;
using static I2VStudio.Components.Tests.Storage.StoredJobs;

namespace I2VStudio.Components.Tests.Storage;

public class BrowserJobStoreTests : BunitContext
{
    private readonly BunitJSModuleInterop _module;
    private readonly StorageNotices _notices = new();

    public BrowserJobStoreTests()
    {
        JSInterop.Mode = JSRuntimeMode.Strict;
        _module = JSInterop.SetupModule(StorageModule);
    }

    private BrowserJobStore CreateStore(JobRecordSerializer? serializer = null) =>
        new(JSInterop.JSRuntime, _notices, NullLogger<BrowserJobStore>.Instance, serializer ?? new JobRecordSerializer());

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task SaveAsync_Record_WritesOneKeyPerRecordWithSchemaVersion()
    {
        _module.Setup<string>("setItem", _ => true).SetResult("ok");
        var store = CreateStore();

        await store.SaveAsync(Record("a1", JobPhase.Running, 0), Ct);

        var write = Assert.Single(_module.Invocations["setItem"]);
        Assert.Equal("i2v.jobs.v1.a1", write.Key());
        Assert.Equal(JobRecord.CurrentSchemaVersion, JsonNode.Parse(write.Json())!["schemaVersion"]!.GetValue<int>());
    }

    [Fact]
    public async Task SaveAsync_StoredValueIsATombstone_RemovalWinsNothingEvicted()
    {
        // The module refuses to write over another tab's tombstone ("removed"): no eviction, no notice, no error.
        _module.Setup<string>("setItem", i => (bool)i.Arguments[2]!).SetResult("removed");
        var notices = new List<StorageNotice>();
        using var subscription = _notices.Subscribe(n => { notices.Add(n); return Task.CompletedTask; });

        await CreateStore().SaveAsync(Record("gone", JobPhase.Running, 0), Ct);

        Assert.Single(_module.Invocations["setItem"]);
        Assert.Empty(notices);
    }

    [Fact]
    public async Task SaveAsync_Tombstone_WrittenWithoutTheGuard()
    {
        _module.Setup<string>("setItem", i => !(bool)i.Arguments[2]!).SetResult("ok");

        await CreateStore().SaveAsync(Record("gone", JobPhase.Running, 0, thumbnail: null) with { Removed = true }, Ct);

        Assert.True(Parse(Assert.Single(_module.Invocations["setItem"]).Json()).Removed);
    }

    [Fact]
    public async Task SaveThenLoad_Record_RoundTrips()
    {
        var original = Record("a1", JobPhase.Succeeded, 0) with { OutputUrl = "http://storage/x.mp4", Seen = true };
        _module.Setup<IJSStreamReference>("loadAllData", "i2v.jobs.v1.").SetResult(FakeJSStream.Items([Item(original)]));

        var loaded = Assert.Single(await CreateStore().LoadAllAsync(Ct));

        Assert.Equal(original.Id, loaded.Id);
        Assert.Equal(JobPhase.Succeeded, loaded.Status.Phase);
        Assert.Equal(original.OutputUrl, loaded.OutputUrl);
        Assert.Equal(42, loaded.Params.GetProperty("seed").GetInt32());
        Assert.True(loaded.Seen);
    }

    [Fact]
    public async Task LoadAllAsync_CorruptRecord_IsSetAsideUnchangedAndTheRestLoads()
    {
        _module.Setup<IJSStreamReference>("loadAllData", "i2v.jobs.v1.").SetResult(FakeJSStream.Items(
        [
            new("i2v.jobs.v1.bad", "{\"schemaVersion\":1,\"id\":"),
            new("i2v.jobs.v1.worse", "not json at all"),
            new("i2v.jobs.v1.wrong", "{\"schemaVersion\":1,\"id\":\"w\",\"jobType\":\"i2v\",\"status\":{\"phase\":\"Exploded\"}}"),
            new("i2v.jobs.v1.nostatus", "{\"schemaVersion\":1,\"id\":\"n\",\"jobType\":\"i2v\",\"status\":null}"),
            Item(Record("good", JobPhase.Queued, 0)),
        ]));
        _module.Setup<string>("moveItem", _ => true).SetResult("ok");
        var notices = new List<StorageNotice>();
        using var subscription = _notices.Subscribe(n => { notices.Add(n); return Task.CompletedTask; });

        var loaded = await CreateStore().LoadAllAsync(Ct);

        Assert.Equal("good", Assert.Single(loaded).Id);
        Assert.Equal(
            ["bad", "worse", "wrong", "nostatus"],
            _module.Invocations["moveItem"].Select(i => ((string)i.Arguments[1]!)[BrowserJobStore.SetAsideKeyPrefix.Length..]));
        Assert.All(_module.Invocations["moveItem"], i => Assert.StartsWith(BrowserJobStore.KeyPrefix, (string)i.Arguments[0]!, StringComparison.Ordinal));
        Assert.Equal(new StorageNotice(StorageNoticeKind.RecordsSetAside, RecordsRemoved: 4), Assert.Single(notices));
    }

    [Fact]
    public async Task LoadAllAsync_NullsInsideARecord_RepairedNotLost()
    {
        var json = JsonNode.Parse(JobRecordSerializer.Serialize(Record("n", JobPhase.Succeeded, 0)))!.AsObject();
        json["timeline"] = new JsonArray(null, null);
        json["inputs"] = null;
        json["error"] = new JsonObject { ["message"] = null, ["fieldProblems"] = new JsonArray((JsonNode?)null) };
        _module.Setup<IJSStreamReference>("loadAllData", "i2v.jobs.v1.").SetResult(FakeJSStream.Items([new("i2v.jobs.v1.n", json.ToJsonString())]));

        var loaded = Assert.Single(await CreateStore().LoadAllAsync(Ct));

        Assert.Empty(loaded.Timeline);
        Assert.Equal("", loaded.Inputs.Prompt);
        Assert.Equal("", loaded.Error!.Message);
        Assert.Empty(loaded.Error.FieldProblems);
        Assert.Empty(_module.Invocations["moveItem"]);
    }

    [Fact]
    public async Task LoadAllAsync_MoreJobsThanTheCap_OldestFinishedRemovedOthersKeptAndNotified()
    {
        // Cap 10: twelve jobs, the two oldest are a TimedOut and a Lost one (kept), then Succeeded/Failed ones.
        var records = new List<JobRecord> { Record("late", JobPhase.TimedOut, -100), Record("lost", JobPhase.Lost, -90) };
        for (var i = 0; i < 10; i++) records.Add(Record("done" + i, i % 2 == 0 ? JobPhase.Succeeded : JobPhase.Failed, i));
        _module.Setup<IJSStreamReference>("loadAllData", "i2v.jobs.v1.").SetResult(FakeJSStream.Items([.. records.Select(Item)]));
        _module.SetupVoid("removeItems", _ => true).SetVoidResult();
        var notices = new List<StorageNotice>();
        using var subscription = _notices.Subscribe(n => { notices.Add(n); return Task.CompletedTask; });
        var store = new BrowserJobStore(JSInterop.JSRuntime, _notices, NullLogger<BrowserJobStore>.Instance, new JobRecordSerializer(),
            new BrowserStorageOptions { MaxStoredJobs = 10 });

        var loaded = await store.LoadAllAsync(Ct);

        Assert.Equal(["i2v.jobs.v1.done0", "i2v.jobs.v1.done1"], (string[])Assert.Single(_module.Invocations["removeItems"]).Arguments[0]!);
        Assert.Equal(10, loaded.Count);
        Assert.Contains(loaded, r => r.Id == "late");
        Assert.Contains(loaded, r => r.Id == "lost");
        Assert.Equal(new StorageNotice(StorageNoticeKind.RecordsCapped, RecordsRemoved: 2), Assert.Single(notices));
    }

    [Fact]
    public async Task LoadAllAsync_NewerSchemaVersion_IsSkipped()
    {
        var newer = JsonNode.Parse(JobRecordSerializer.Serialize(Record("n", JobPhase.Queued, 0)))!;
        newer["schemaVersion"] = JobRecord.CurrentSchemaVersion + 1;
        _module.Setup<IJSStreamReference>("loadAllData", "i2v.jobs.v1.").SetResult(FakeJSStream.Items([new("i2v.jobs.v1.n", newer.ToJsonString())]));

        Assert.Empty(await CreateStore().LoadAllAsync(Ct));
    }

    [Fact]
    public async Task LoadAllAsync_OlderSchemaWithoutMigration_IsSetAside()
    {
        var older = JsonNode.Parse(JobRecordSerializer.Serialize(Record("o", JobPhase.Queued, 0)))!.AsObject();
        older.Remove("schemaVersion");
        _module.Setup<IJSStreamReference>("loadAllData", "i2v.jobs.v1.").SetResult(FakeJSStream.Items([new("i2v.jobs.v1.o", older.ToJsonString())]));
        _module.Setup<string>("moveItem", _ => true).SetResult("ok");

        Assert.Empty(await CreateStore().LoadAllAsync(Ct));
        Assert.Equal("i2v.jobs.setaside.v1.o", Assert.Single(_module.Invocations["moveItem"]).Arguments[1]);
    }

    [Fact]
    public async Task LoadAllAsync_OlderSchemaWithMigration_IsMigrated()
    {
        // A version-0 record that called the prompt "text": the registered migration renames it.
        var older = JsonNode.Parse(JobRecordSerializer.Serialize(Record("o", JobPhase.Queued, 0)))!.AsObject();
        older.Remove("schemaVersion");
        var inputs = older["inputs"]!.AsObject();
        var prompt = inputs["prompt"]!.GetValue<string>();
        inputs.Remove("prompt");
        inputs["text"] = prompt;
        var serializer = new JobRecordSerializer(new Dictionary<int, Func<JsonObject, JsonObject>>
        {
            [0] = node =>
            {
                var i = node["inputs"]!.AsObject();
                i["prompt"] = i["text"]!.GetValue<string>();
                i.Remove("text");
                return node;
            },
        });
        _module.Setup<IJSStreamReference>("loadAllData", "i2v.jobs.v1.").SetResult(FakeJSStream.Items([new("i2v.jobs.v1.o", older.ToJsonString())]));

        var loaded = Assert.Single(await CreateStore(serializer).LoadAllAsync(Ct));

        Assert.Equal(prompt, loaded.Inputs.Prompt);
        Assert.Equal(JobRecord.CurrentSchemaVersion, loaded.SchemaVersion);
    }

    [Fact]
    public async Task LoadAllAsync_LocalStorageUnavailable_ReturnsEmpty()
    {
        _module.Setup<IJSStreamReference>("loadAllData", "i2v.jobs.v1.")
            .SetException(new Microsoft.JSInterop.JSException("SecurityError: access denied"));

        Assert.Empty(await CreateStore().LoadAllAsync(Ct));
    }

    [Fact]
    public async Task SaveAsync_QuotaExceeded_RemovesOldestFinishedThumbnailsFirstAndNotifies()
    {
        var oldest = Record("old", JobPhase.Succeeded, 0);
        var older = Record("older", JobPhase.Failed, 10);
        var running = Record("run", JobPhase.Running, -5);
        var fresh = Record("new", JobPhase.Submitting, 20);
        _module.Setup<IJSStreamReference>("loadAllData", "i2v.jobs.v1.").SetResult(FakeJSStream.Items([Item(older), Item(running), Item(oldest)]));
        // Storage refuses the new record until one thumbnail has been removed.
        int ThumbnailWrites() => _module.Invocations["setItem"].Count(i => i.Key() != "i2v.jobs.v1.new");
        _module.Setup<string>("setItem", i => i.Key() == "i2v.jobs.v1.new" && ThumbnailWrites() < 1).SetResult("quota");
        _module.Setup<string>("setItem", i => i.Key() == "i2v.jobs.v1.new" && ThumbnailWrites() >= 1).SetResult("ok");
        _module.Setup<string>("setItem", i => i.Key() != "i2v.jobs.v1.new").SetResult("ok");
        var notices = new List<StorageNotice>();
        using var subscription = _notices.Subscribe(n => { notices.Add(n); return Task.CompletedTask; });

        await CreateStore().SaveAsync(fresh, Ct);

        var stripped = Assert.Single(_module.Invocations["setItem"], i => i.Key() != "i2v.jobs.v1.new");
        Assert.Equal("i2v.jobs.v1.old", stripped.Key());
        Assert.Null(Parse(stripped.Json()).Inputs.ThumbnailDataUrl);
        Assert.Equal("i2v.jobs.v1.new", _module.Invocations["setItem"][^1].Key());
        Assert.Equal(new StorageNotice(StorageNoticeKind.ThumbnailsRemoved, ThumbnailsRemoved: 1), Assert.Single(notices));
    }

    [Fact]
    public async Task SaveAsync_QuotaExceededAfterAllThumbnails_RemovesOldestFinishedRecordsNeverActiveOnes()
    {
        var oldest = Record("old", JobPhase.Succeeded, 0);
        var older = Record("older", JobPhase.Failed, 10);
        var running = Record("run", JobPhase.Running, -5);
        _module.Setup<IJSStreamReference>("loadAllData", "i2v.jobs.v1.").SetResult(FakeJSStream.Items([Item(older), Item(running), Item(oldest)]));
        int Removals() => _module.Invocations["removeItems"].Count;
        _module.Setup<string>("setItem", i => i.Key() == "i2v.jobs.v1.new" && Removals() < 1).SetResult("quota");
        _module.Setup<string>("setItem", i => i.Key() == "i2v.jobs.v1.new" && Removals() >= 1).SetResult("ok");
        _module.Setup<string>("setItem", i => i.Key() != "i2v.jobs.v1.new").SetResult("ok");
        _module.SetupVoid("removeItems", _ => true).SetVoidResult();
        var notices = new List<StorageNotice>();
        using var subscription = _notices.Subscribe(n => { notices.Add(n); return Task.CompletedTask; });

        await CreateStore().SaveAsync(Record("new", JobPhase.Submitting, 20), Ct);

        var removed = (string[])Assert.Single(_module.Invocations["removeItems"]).Arguments[0]!;
        Assert.Equal(["i2v.jobs.v1.old"], removed);
        Assert.DoesNotContain(_module.Invocations["setItem"], i => i.Key() == "i2v.jobs.v1.run");
        Assert.Equal(new StorageNotice(StorageNoticeKind.RecordsRemoved, ThumbnailsRemoved: 2, RecordsRemoved: 1), Assert.Single(notices));
    }

    [Theory]
    [InlineData(JobPhase.TimedOut)]
    [InlineData(JobPhase.Lost)]
    [InlineData(JobPhase.SubmitFailed)]
    [InlineData(JobPhase.Submitting)]
    [InlineData(JobPhase.Queued)]
    public async Task SaveAsync_QuotaExceeded_NeverEvictsAJobThatMayStillRunOrWasNeverSent(JobPhase phase)
    {
        // The oldest record by far, in a phase whose record is all the user has: it must survive, the save fails instead.
        _module.Setup<IJSStreamReference>("loadAllData", "i2v.jobs.v1.").SetResult(FakeJSStream.Items([Item(Record("keep", phase, -600))]));
        _module.Setup<string>("setItem", _ => true).SetResult("quota");
        _module.SetupVoid("removeItems", _ => true).SetVoidResult();
        var notices = new List<StorageNotice>();
        using var subscription = _notices.Subscribe(n => { notices.Add(n); return Task.CompletedTask; });

        await CreateStore().SaveAsync(Record("new", JobPhase.Submitting, 20), Ct);

        Assert.Empty(_module.Invocations["removeItems"]);
        Assert.DoesNotContain(_module.Invocations["setItem"], i => i.Key() == "i2v.jobs.v1.keep");
        Assert.Equal(StorageNoticeKind.SaveFailed, Assert.Single(notices).Kind);
    }

    [Fact]
    public async Task SaveAsync_QuotaExceededAndNothingToFree_NotifiesWithoutThrowing()
    {
        _module.Setup<IJSStreamReference>("loadAllData", "i2v.jobs.v1.").SetResult(FakeJSStream.Items([Item(Record("run", JobPhase.Running, 0))]));
        _module.Setup<string>("setItem", _ => true).SetResult("quota");
        var notices = new List<StorageNotice>();
        using var subscription = _notices.Subscribe(n => { notices.Add(n); return Task.CompletedTask; });

        await CreateStore().SaveAsync(Record("new", JobPhase.Submitting, 20), Ct);

        Assert.Equal(StorageNoticeKind.SaveFailed, Assert.Single(notices).Kind);
    }

    [Fact]
    public async Task RemoveAsync_Id_RemovesOnlyThatKey()
    {
        _module.SetupVoid("removeItem", "i2v.jobs.v1.a1").SetVoidResult();

        await CreateStore().RemoveAsync("a1", Ct);

        Assert.Single(_module.Invocations["removeItem"]);
    }

    [Fact]
    public async Task WatchExternalChanges_OtherTabWrites_CallsBackWithIds()
    {
        var handle = _module.SetupModule(i => i.Identifier == "watch");
        handle.SetupVoid("stop").SetVoidResult();
        var received = new TaskCompletionSource<IReadOnlyCollection<string>>();
        var store = CreateStore();

        using (store.WatchExternalChanges(ids => { received.TrySetResult(ids); return Task.CompletedTask; }))
        {
            var watch = Assert.Single(_module.Invocations["watch"]);
            Assert.Equal(BrowserJobStore.KeyPrefix, watch.Arguments[0]);
            var callback = (Microsoft.JSInterop.DotNetObjectReference<BrowserJobStore.ExternalWatch>)watch.Arguments[1]!;
            await callback.Value.OnExternalChange(["a1", "b2"]);
        }

        Assert.Equal(["a1", "b2"], await received.Task.WaitAsync(Ct));
    }

    [Fact]
    public async Task WatchExternalChanges_Disposed_StopsTheListenerAndIgnoresLateCalls()
    {
        var handle = _module.SetupModule(i => i.Identifier == "watch");
        handle.SetupVoid("stop").SetVoidResult();
        var calls = 0;
        var store = CreateStore();
        var subscription = store.WatchExternalChanges(_ => { calls++; return Task.CompletedTask; });
        var callback = (Microsoft.JSInterop.DotNetObjectReference<BrowserJobStore.ExternalWatch>)_module.Invocations["watch"][0].Arguments[1]!;
        var watch = callback.Value;

        subscription.Dispose();
        await watch.OnExternalChange(["late"]);

        Assert.Equal(0, calls);
        Assert.Single(handle.Invocations["stop"]);
    }
}
