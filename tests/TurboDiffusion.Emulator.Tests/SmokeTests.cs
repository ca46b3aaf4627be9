namespace TurboDiffusion.Emulator.Tests;

public class SmokeTests
{
    [Fact]
    public async Task Emulator_StartAsync_AnswersHealth()
    {
        await using var emulator = await TurboDiffusionEmulatorServer.StartAsync(new EmulatorOptions(), TestContext.Current.CancellationToken);
        using var http = new HttpClient { BaseAddress = emulator.ApiBaseUri };

        var body = await http.GetStringAsync(new Uri("health", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal("{\"status\":\"ok\"}", body);
    }
}
