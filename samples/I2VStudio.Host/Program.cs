var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/", () => "I2V Studio host: under construction");
await app.RunAsync();

/// <summary>Entry point, public for in-process tests.</summary>
public partial class Program;
