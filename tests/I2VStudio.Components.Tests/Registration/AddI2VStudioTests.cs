using I2VStudio.Components.Browser;
using I2VStudio.Components.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;
using MudBlazor;
using TurboDiffusion.Client.Jobs;

namespace I2VStudio.Components.Tests.Registration;

public class AddI2VStudioTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["TurboDiffusion:BaseUrl"] = "http://127.0.0.1:8000" }
                .Concat(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))))
            .Build();

    // A host always registers its IConfiguration; the shell's options bind through it.
    private static ServiceProvider Build(IConfiguration configuration, Action<IServiceCollection>? before = null,
        Action<I2VStudioOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        before?.Invoke(services);
        services.AddI2VStudio(configuration, configure);
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddSingleton<IJSRuntime, NoJs>();
        services.AddSingleton<Microsoft.AspNetCore.Components.NavigationManager, TestNavigation>();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    [Fact]
    public async Task AddI2VStudio_Defaults_BrowserStoresWinOverInMemory()
    {
        await using var provider = Build(Config());
        await using var scope = provider.CreateAsyncScope();

        Assert.IsType<BrowserJobStore>(scope.ServiceProvider.GetRequiredService<IJobStore>());
        Assert.IsType<BrowserBlobStore>(scope.ServiceProvider.GetRequiredService<IJobBlobStore>());
        Assert.Same(scope.ServiceProvider.GetRequiredService<BrowserJobStore>(), scope.ServiceProvider.GetRequiredService<IJobStore>());
    }

    [Fact]
    public async Task AddI2VStudio_AfterAddTurboDiffusionClient_BrowserStoresStillWin()
    {
        var config = Config();

        await using var provider = Build(config, services => services.AddTurboDiffusionClient(config));
        await using var scope = provider.CreateAsyncScope();

        Assert.Same(scope.ServiceProvider.GetRequiredService<BrowserJobStore>(), scope.ServiceProvider.GetRequiredService<IJobStore>());
        Assert.Same(scope.ServiceProvider.GetRequiredService<BrowserBlobStore>(), scope.ServiceProvider.GetRequiredService<IJobBlobStore>());
    }

    [Fact]
    public async Task AddI2VStudio_Defaults_EverythingThePageNeedsResolves()
    {
        await using var provider = Build(Config());
        await using var scope = provider.CreateAsyncScope();
        var sp = scope.ServiceProvider;

        Assert.NotNull(sp.GetRequiredService<IJobTracker>());
        Assert.NotNull(sp.GetRequiredService<StudioJobActions>());
        Assert.NotNull(sp.GetRequiredService<ISeedGenerator>());
        Assert.NotNull(sp.GetRequiredService<IDialogService>());
        Assert.NotNull(sp.GetRequiredService<ISnackbar>());
        Assert.NotNull(sp.GetRequiredService<ImageIntake>());
        Assert.NotNull(sp.GetRequiredService<PromptHistoryStore>());
        Assert.NotNull(sp.GetRequiredService<IDownloadTickets>());
        // Not in a browser (this test process), so the links are server-side tickets.
        Assert.IsType<TicketDownloadLinks>(sp.GetRequiredService<IDownloadLinkProvider>());
    }

    [Fact]
    public async Task AddI2VStudio_Defaults_SnackbarAtTopCenterClearOfTheJobList()
    {
        await using var provider = Build(Config());
        await using var scope = provider.CreateAsyncScope();

        var snackbar = scope.ServiceProvider.GetRequiredService<ISnackbar>();

        Assert.Equal(Defaults.Classes.Position.TopCenter, snackbar.Configuration.PositionClass);
    }

    [Fact]
    public async Task AddI2VStudio_Options_BoundFromTheI2VStudioSection()
    {
        await using var provider = Build(Config(("I2VStudio:VariantCount", "5")));

        var options = provider.GetRequiredService<IOptions<I2VStudioOptions>>().Value;

        Assert.Equal(5, options.VariantCount);
        Assert.Equal(8000, options.PromptMaxLength);
    }

    [Fact]
    public async Task AddI2VStudio_Configure_AppliedAfterConfiguration()
    {
        await using var provider = Build(Config(("I2VStudio:VariantCount", "5")), configure: o => o.VariantCount = 2);

        Assert.Equal(2, provider.GetRequiredService<IOptions<I2VStudioOptions>>().Value.VariantCount);
    }

    [Theory]
    [InlineData("I2VStudio:VariantCount", "0")]
    [InlineData("I2VStudio:PromptMaxLength", "0")]
    [InlineData("I2VStudio:DefaultNumSteps", "5")]
    [InlineData("I2VStudio:DownloadPath", "http://evil.example/{0}")]
    [InlineData("I2VStudio:JobDownloadPath", "http://evil.example/{0}/{1}")]
    [InlineData("I2VStudio:JobDownloadPath", "_i2v/download/job/{0}")]
    [InlineData("I2VStudio:MaxDurationSeconds", "7.3")]
    [InlineData("I2VStudio:MaxDurationSeconds", "0")]
    [InlineData("I2VStudio:DefaultDurationSeconds", "12")]
    [InlineData("I2VStudio:DefaultDurationSeconds", "2.25")]
    public async Task AddI2VStudio_InvalidOptions_RefusedOnStart(string key, string value)
    {
        await using var provider = Build(Config((key, value)));

        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<I2VStudioOptions>>().Value);
    }

    [Fact]
    public void RandomSeedGenerator_Seeds_WithinTheBackendsRange()
    {
        var seeds = new RandomSeedGenerator();

        for (var i = 0; i < 1000; i++)
        {
            Assert.InRange(seeds.NextSeed(), 0, int.MaxValue);
        }
    }

    private sealed class NoJs : IJSRuntime
    {
        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args) => throw new InvalidOperationException("no JS in this test");

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args) =>
            throw new InvalidOperationException("no JS in this test");
    }

    private sealed class TestNavigation : Microsoft.AspNetCore.Components.NavigationManager
    {
        public TestNavigation() => Initialize("http://localhost/", "http://localhost/tools/i2v");
    }
}
