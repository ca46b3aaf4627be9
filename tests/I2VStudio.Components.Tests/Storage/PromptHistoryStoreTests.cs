using System.Text.Json;
using Bunit;
using I2VStudio.Components.Tests.Support;
using Microsoft.JSInterop;
using I2VStudio.Components.Storage;
using Microsoft.Extensions.Options;

namespace I2VStudio.Components.Tests.Storage;

public class PromptHistoryStoreTests : BunitContext
{
    private readonly BunitJSModuleInterop _module;

    public PromptHistoryStoreTests()
    {
        JSInterop.Mode = JSRuntimeMode.Strict;
        _module = JSInterop.SetupModule(StoredJobs.StorageModule);
        _module.Setup<string>("setItem", _ => true).SetResult("ok");
    }

    private PromptHistoryStore CreateStore() => new(JSInterop.JSRuntime, Options.Create(new BrowserStorageOptions()));

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private string[] Written() => JsonSerializer.Deserialize<string[]>((string)_module.Invocations["setItem"][^1].Arguments[1]!)!;

    [Fact]
    public async Task AddAsync_ExistingPrompt_MovesItFirstWithoutDuplicate()
    {
        _module.Setup<IJSStreamReference>("getItemData", PromptHistoryStore.Key).SetResult(FakeJSStream.Text(JsonSerializer.Serialize(new[] { "b", "a", "c" })));

        await CreateStore().AddAsync("a", Ct);

        Assert.Equal(["a", "b", "c"], Written());
    }

    [Fact]
    public async Task AddAsync_FullHistory_KeepsTheNewest50()
    {
        var fifty = Enumerable.Range(1, 50).Select(i => $"prompt {i}").ToArray();
        _module.Setup<IJSStreamReference>("getItemData", PromptHistoryStore.Key).SetResult(FakeJSStream.Text(JsonSerializer.Serialize(fifty)));

        await CreateStore().AddAsync("newest", Ct);

        var written = Written();
        Assert.Equal(50, written.Length);
        Assert.Equal("newest", written[0]);
        Assert.DoesNotContain("prompt 50", written);
    }

    [Fact]
    public async Task AddAsync_WhitespacePrompt_IsNotStored()
    {
        await CreateStore().AddAsync("   \n", Ct);

        Assert.Empty(_module.Invocations["setItem"]);
    }

    [Fact]
    public async Task LoadAsync_CorruptValue_ReturnsEmpty()
    {
        _module.Setup<IJSStreamReference>("getItemData", PromptHistoryStore.Key).SetResult(FakeJSStream.Text("[not json"));

        Assert.Empty(await CreateStore().LoadAsync(Ct));
    }

    [Fact]
    public async Task LoadAsync_StoredDuplicates_ReturnsDistinctMostRecentFirst()
    {
        _module.Setup<IJSStreamReference>("getItemData", PromptHistoryStore.Key).SetResult(FakeJSStream.Text(JsonSerializer.Serialize(new[] { "x", "y", "x" })));

        Assert.Equal(["x", "y"], await CreateStore().LoadAsync(Ct));
    }
}
