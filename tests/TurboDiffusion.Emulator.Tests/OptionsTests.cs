using Microsoft.Extensions.Options;

namespace TurboDiffusion.Emulator.Tests;

/// <summary>Options are checked at start with messages naming the key; the copy StartAsync makes is complete.</summary>
public class OptionsTests
{
    [Fact]
    public async Task StartAsync_InvalidOptions_ThrowsNamingEachKey()
    {
        var options = new EmulatorOptions
        {
            WorkerCount = 0,
            UrlLifetime = TimeSpan.Zero,
            StorageUrl = "ftp://example",
            Faults = new EmulatorFaults { GetError = new GetErrorFault { StatusCode = 418 } },
        };

        var error = await Assert.ThrowsAsync<OptionsValidationException>(
            () => TurboDiffusionEmulatorServer.StartAsync(options, TestContext.Current.CancellationToken));

        Assert.Contains(error.Failures, f => f.StartsWith("Emulator:WorkerCount", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Emulator:UrlLifetime", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Emulator:StorageUrl", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Emulator:Faults:GetError:StatusCode", StringComparison.Ordinal));
    }

    [Fact]
    public void Validator_Defaults_AreValid() =>
        Assert.Empty(EmulatorOptionsValidator.Check(new EmulatorOptions()));

    [Fact]
    public void CopyTo_EverySetting_IsCopied()
    {
        var source = new EmulatorOptions();
        foreach (var property in typeof(EmulatorOptions).GetProperties())
        {
            property.SetValue(source, Different(property.PropertyType, property.GetValue(source)));
        }

        var target = new EmulatorOptions();
        source.CopyTo(target);

        Assert.All(typeof(EmulatorOptions).GetProperties(), p => Assert.Equal(p.GetValue(source), p.GetValue(target)));
    }

    [Fact]
    public void FaultController_SetInvalidFaults_Throws()
    {
        var controller = new FaultController(Options.Create(new EmulatorOptions()));

        Assert.Throws<ArgumentException>(() => controller.Set(new EmulatorFaults { FailNextJobs = new FailNextJobsFault { Count = -1 } }));
    }

    private static object? Different(Type type, object? current) => type switch
    {
        _ when type == typeof(string) => "changed-" + current,
        _ when type == typeof(int) => (int)current! + 1,
        _ when type == typeof(long) => (long)current! + 1,
        _ when type == typeof(TimeSpan) => (TimeSpan)current! + TimeSpan.FromSeconds(1),
        _ when type == typeof(TimeSpan?) => TimeSpan.FromMinutes(7),
        _ when type == typeof(double) => (double)current! + 1,
        _ when type == typeof(EmulatorApiProfile) => (EmulatorApiProfile)current! == EmulatorApiProfile.Both ? EmulatorApiProfile.Legacy : EmulatorApiProfile.Both,
        _ when type == typeof(EmulatorCapabilities) => new EmulatorCapabilities { Tts = true },
        _ when type == typeof(EmulatorFaults) => new EmulatorFaults { BrokerDown = true },
        _ => throw new InvalidOperationException($"Teach this test to change a {type.Name}."),
    };
}
