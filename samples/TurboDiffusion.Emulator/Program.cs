var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/health", () => Results.Json(new { status = "ok" }));
await app.RunAsync();

/// <summary>Entry point, public for in-process tests.</summary>
public partial class Program;
