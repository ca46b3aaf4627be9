using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TurboDiffusion.Client.Http;
using TurboDiffusion.Client.Jobs;
using TurboDiffusion.Client.Jobs.I2V;

namespace TurboDiffusion.Client.Tests.Http;

public sealed class RegistrationTests
{
    private static ServiceProvider Build(IConfiguration? configuration, Action<TurboDiffusionOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddTurboDiffusionClient(configuration, configure);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }

    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();

    private static OptionsValidationException StartFails(IConfiguration? configuration, Action<TurboDiffusionOptions>? configure = null)
    {
        using var provider = Build(configuration, configure);
        return Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
    }

    [Fact]
    public void Start_MissingBaseUrl_FailsNamingTheKey()
    {
        var error = StartFails(Config());

        Assert.Contains("TurboDiffusion:BaseUrl is required (e.g. http://127.0.0.1:8000).", error.Failures);
    }

    [Theory]
    [InlineData("localhost:8000")]
    [InlineData("ftp://backend/")]
    [InlineData("/relative/path")]
    public void Start_BaseUrlNotHttp_FailsNamingTheValue(string url)
    {
        var error = StartFails(Config(("TurboDiffusion:BaseUrl", url)));

        Assert.Contains($"TurboDiffusion:BaseUrl must be an absolute http:// or https:// URL (e.g. http://127.0.0.1:8000); got '{url}'.", error.Failures);
    }

    [Fact]
    public void Start_IntervalsOutOfOrder_Fails()
    {
        var error = StartFails(Config(("TurboDiffusion:BaseUrl", "http://h/"), ("TurboDiffusion:Polling:RunningInterval", "00:00:06")));

        Assert.Contains(error.Failures, f => f.StartsWith("TurboDiffusion:Polling: RunningInterval (00:00:06) ≤ QueuedInterval (00:00:05)", StringComparison.Ordinal));
    }

    [Fact]
    public void Start_BackoffInitialAboveMax_Fails()
    {
        var error = StartFails(null, o => { o.BaseUrl = new Uri("http://h/"); o.Polling.BackoffInitial = TimeSpan.FromMinutes(2); });

        Assert.Contains("TurboDiffusion:Polling:BackoffInitial (00:02:00) must not exceed BackoffMax (00:01:00).", error.Failures);
    }

    [Fact]
    public void Start_NonPositiveDurations_FailEach()
    {
        var error = StartFails(null, o =>
        {
            o.BaseUrl = new Uri("http://h/");
            o.SubmitTimeout = TimeSpan.Zero;
            o.Polling.Deadline = TimeSpan.FromMinutes(-1);
            o.Polling.Jitter = 0.9;
            o.GetRetries = 11;
        });

        Assert.Contains("TurboDiffusion:SubmitTimeout must be between 10 ms and 1 day; got 00:00:00.", error.Failures);
        Assert.Contains("TurboDiffusion:Polling:Deadline must be greater than zero; got -00:01:00.", error.Failures);
        Assert.Contains(error.Failures, f => f.StartsWith("TurboDiffusion:Polling:Jitter:", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("TurboDiffusion:GetRetries:", StringComparison.Ordinal));
    }

    [Fact]
    public void Start_TotalTimeoutBelowAttemptTimeout_Fails()
    {
        var error = StartFails(null, o => { o.BaseUrl = new Uri("http://h/"); o.RequestTotalTimeout = TimeSpan.FromSeconds(5); });

        Assert.Contains("TurboDiffusion:RequestTotalTimeout (00:00:05) must be at least RequestTimeout (00:00:10).", error.Failures);
    }

    [Fact]
    public void Options_FromConfigurationThenCode_CodeWins()
    {
        using var provider = Build(
            Config(("TurboDiffusion:BaseUrl", "http://config:8000"), ("TurboDiffusion:SubmitTimeout", "00:10:00"), ("TurboDiffusion:Polling:Deadline", "01:00:00")),
            o => o.SubmitTimeout = TimeSpan.FromMinutes(7));

        provider.GetRequiredService<IStartupValidator>().Validate();
        var options = provider.GetRequiredService<IOptions<TurboDiffusionOptions>>().Value;

        Assert.Equal(new Uri("http://config:8000"), options.BaseUrl);
        Assert.Equal(TimeSpan.FromMinutes(7), options.SubmitTimeout);
        Assert.Equal(TimeSpan.FromHours(1), options.Polling.Deadline);
    }

    [Fact]
    public void Options_NoConfigurationGiven_ReadsTheRegisteredConfiguration()
    {
        var services = new ServiceCollection();
        services.AddSingleton(Config(("TurboDiffusion:BaseUrl", "https://registered/")));
        services.AddTurboDiffusionClient();
        using var provider = services.BuildServiceProvider();

        Assert.Equal(new Uri("https://registered/"), provider.GetRequiredService<IOptions<TurboDiffusionOptions>>().Value.BaseUrl);
    }

    [Fact]
    public void Services_Registration_ResolvesTheApiJobTypeAndDefaults()
    {
        using var provider = Build(null, o => o.BaseUrl = new Uri("http://h/"));
        using var scope = provider.CreateScope();

        Assert.NotNull(provider.GetRequiredService<ITurboDiffusionApi>());
        Assert.IsType<I2VJobType>(Assert.Single(provider.GetServices<IJobTypeDefinition>()));
        Assert.Same(TimeProvider.System, provider.GetRequiredService<TimeProvider>());
        Assert.IsType<InMemoryJobStore>(scope.ServiceProvider.GetRequiredService<IJobStore>());
        Assert.IsType<InMemoryJobBlobStore>(scope.ServiceProvider.GetRequiredService<IJobBlobStore>());
    }

    [Fact]
    public void Tracker_PerScope_IsOneJobTrackerPerSession()
    {
        using var provider = Build(null, o => o.BaseUrl = new Uri("http://h/"));
        using var first = provider.CreateScope();
        using var second = provider.CreateScope();

        var tracker = first.ServiceProvider.GetRequiredService<IJobTracker>();

        Assert.IsType<JobTracker>(tracker);
        Assert.Same(tracker, first.ServiceProvider.GetRequiredService<IJobTracker>());
        Assert.NotSame(tracker, second.ServiceProvider.GetRequiredService<IJobTracker>());
    }

    [Fact]
    public void Services_AddedTwice_RegisterTheClientAndJobTypeOnce()
    {
        var services = new ServiceCollection();
        services.AddTurboDiffusionClient(configure: o => o.BaseUrl = new Uri("http://h/"));
        services.AddTurboDiffusionClient();

        Assert.Single(services, d => d.ServiceType == typeof(ITurboDiffusionApi));
        Assert.Single(services, d => d.ServiceType == typeof(IJobTypeDefinition));
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<TurboDiffusionOptions>));
    }

    [Fact]
    public void Services_CallerRegistrations_AreKept()
    {
        var services = new ServiceCollection();
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        services.AddSingleton<TimeProvider>(clock);
        services.AddTurboDiffusionClient(configure: o => o.BaseUrl = new Uri("http://h/"));
        using var provider = services.BuildServiceProvider();

        Assert.Same(clock, provider.GetRequiredService<TimeProvider>());
    }
}
