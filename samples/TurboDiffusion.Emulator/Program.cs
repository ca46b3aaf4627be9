using Microsoft.Extensions.Options;
using TurboDiffusion.Emulator;

// Standalone: dotnet run --project samples/TurboDiffusion.Emulator -- --urls http://127.0.0.1:8000
// Settings come from the "Emulator" configuration section (e.g. --Emulator:WorkerCount=2, or
// Emulator__WorkerCount=2 in the environment); see README.md.
var builder = WebApplication.CreateBuilder(args);
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
builder.Services.AddTurboDiffusionEmulator(builder.Configuration.GetSection(EmulatorOptions.SectionName));

var app = builder.Build();
app.UseFastApiStatusPages();
app.MapTurboDiffusionEmulator();

try
{
    // Validate before the host starts, so a bad setting prints its message, not a start-up stack trace.
    _ = app.Services.GetRequiredService<IOptions<EmulatorOptions>>().Value;
    await app.RunAsync();
    return 0;
}
catch (OptionsValidationException e)
{
    await Console.Error.WriteLineAsync("The emulator's settings are invalid:");
    foreach (var failure in e.Failures)
    {
        await Console.Error.WriteLineAsync("  " + failure);
    }

    return 2;
}
