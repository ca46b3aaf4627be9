using TurboDiffusion.Emulator;

namespace I2VStudio.E2E.Tests.Infrastructure;

/// <summary>The default studio, shared by every test class in the "Studio" collection.</summary>
[CollectionDefinition(Name)]
public sealed class SharedStudio : ICollectionFixture<StudioFixture>
{
    public const string Name = "Studio";
}

/// <summary>Image size cap of 1 MB, so the over-the-cap file stays small.</summary>
public sealed class SmallImageCapFixture : StudioFixture
{
    public const long MaxBytes = 1024 * 1024;

    protected override void ConfigureHost(IDictionary<string, string?> settings) =>
        settings["I2VStudio:Images:MaxBytes"] = MaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A 4 s deadline and a 2 s Lost grace, so TimedOut and Lost happen within seconds.</summary>
public sealed class ShortDeadlineFixture : StudioFixture
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(4);

    protected override void ConfigureHost(IDictionary<string, string?> settings)
    {
        settings["TurboDiffusion:Polling:Deadline"] = Span(Deadline);
        settings["TurboDiffusion:Polling:LostAfter"] = Span(TimeSpan.FromSeconds(2));
    }
}

/// <summary>The legacy API (backend 322444e) with the client fixed to it: <c>TurboDiffusion:Profile=Legacy</c>.</summary>
public sealed class LegacyProfileFixture : StudioFixture
{
    protected override void ConfigureEmulator(EmulatorOptions options) => options.ApiProfile = EmulatorApiProfile.Legacy;

    protected override void ConfigureHost(IDictionary<string, string?> settings) => settings["TurboDiffusion:Profile"] = "Legacy";
}

/// <summary>The current API (backend 5b75d5f, the emulator's default) with the client fixed to it: <c>TurboDiffusion:Profile=VideoGen</c>.</summary>
public sealed class VideoGenProfileFixture : StudioFixture
{
    protected override void ConfigureEmulator(EmulatorOptions options) => options.ApiProfile = EmulatorApiProfile.VideoGen;

    protected override void ConfigureHost(IDictionary<string, string?> settings) => settings["TurboDiffusion:Profile"] = "VideoGen";
}

/// <summary>The current API with the client on its default, <c>TurboDiffusion:Profile=Auto</c>.</summary>
public sealed class AutoOnVideoGenFixture : StudioFixture
{
    protected override void ConfigureEmulator(EmulatorOptions options) => options.ApiProfile = EmulatorApiProfile.VideoGen;
}

/// <summary>A studio with a workspace of its own (projects and assets), for the workspace journeys.</summary>
public sealed class WorkspaceFixture : StudioFixture;

/// <summary>A workspace of its own on the current API (<c>TurboDiffusion:Profile=VideoGen</c>), where a shot's clip
/// length is sent and honoured.</summary>
public sealed class WorkspaceOnVideoGenFixture : StudioFixture
{
    protected override void ConfigureEmulator(EmulatorOptions options) => options.ApiProfile = EmulatorApiProfile.VideoGen;

    protected override void ConfigureHost(IDictionary<string, string?> settings) => settings["TurboDiffusion:Profile"] = "VideoGen";
}
