using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace I2VStudio.Workspace.Tests;

/// <summary>The workspace's options as the host reads them at start-up.</summary>
public sealed class WorkspaceOptionsTests
{
    [Fact]
    public void Start_LeaseShorterThanTwoRenewals_FailsNamingBothKeys()
    {
        using var provider = Services(new() { ["Workspace:TakeLease"] = "00:00:50", ["Workspace:TakeLeaseRenewal"] = "00:00:30" });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Workspace:TakeLease must be at least twice Workspace:TakeLeaseRenewal", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_RenewalOfZero_Fails()
    {
        using var provider = Services(new() { ["Workspace:TakeLeaseRenewal"] = "00:00:00" });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("TakeLeaseRenewal", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HostId_Unset_LocalOnSqliteAndOneRandomIdPerProcessOnPostgres()
    {
        using var sqlite = Services([]);
        using var postgres = Services(new() { ["ConnectionStrings:Workspace"] = "Host=127.0.0.1;Database=unused" });
        using var otherProcess = Services(new() { ["ConnectionStrings:Workspace"] = "Host=127.0.0.1;Database=unused" });
        using var named = Services(new() { ["Workspace:HostId"] = "pod-7", ["ConnectionStrings:Workspace"] = "Host=127.0.0.1;Database=unused" });

        var random = postgres.GetRequiredService<IOptions<WorkspaceOptions>>().Value.HostId;

        Assert.Equal("local", sqlite.GetRequiredService<IOptions<WorkspaceOptions>>().Value.HostId);
        Assert.Matches("^[0-9a-f]{32}$", random);
        Assert.Equal(random, postgres.GetRequiredService<IOptions<WorkspaceOptions>>().Value.HostId);
        Assert.NotEqual(random, otherProcess.GetRequiredService<IOptions<WorkspaceOptions>>().Value.HostId);
        Assert.Equal("pod-7", named.GetRequiredService<IOptions<WorkspaceOptions>>().Value.HostId);
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddI2VWorkspace(configuration).BuildServiceProvider();
    }
}
