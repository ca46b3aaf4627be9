using System.Diagnostics;
using System.Text;

namespace I2VStudio.Packaging.Tests.Infrastructure;

/// <summary>Runs the <c>dotnet</c> CLI as a developer would, in a clean environment, and fails with its output.</summary>
internal static class DotNetCli
{
    /// <summary>
    /// Environment a child <c>dotnet</c> must not inherit from the test host: MSBuild's and the test platform's own
    /// variables would steer its build (SDK resolution, node reuse) away from what a developer's shell does.
    /// </summary>
    private static readonly string[] InheritedPrefixes = ["MSBUILD", "_MSBUILD", "MSBuild", "VSTEST", "TESTINGPLATFORM", "DOTNET_HOST_PATH"];

    /// <summary>Runs <c>dotnet {args}</c> in <paramref name="workingDirectory"/>; throws with the output unless it exits 0.</summary>
    public static async Task<string> RunAsync(string workingDirectory, IEnumerable<string> args, TimeSpan timeout, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = NewStartInfo(workingDirectory, args, environment);
        using var process = new Process { StartInfo = start };
        var output = new StringBuilder();
        var gate = new Lock();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (gate) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (gate) output.AppendLine(e.Data); };
        var started = Stopwatch.StartNew();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`dotnet {string.Join(' ', start.ArgumentList)}` did not finish within {timeout.TotalSeconds:0} s:\n{Text(output, gate)}");
        }

        // The exit event can precede the last output lines.
        process.WaitForExit();
        var text = Text(output, gate);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"`dotnet {string.Join(' ', start.ArgumentList)}` in {workingDirectory} exited with {process.ExitCode} after {started.Elapsed.TotalSeconds:0.0} s:\n{text}");
        }

        return text;
    }

    /// <summary>A start info for <c>dotnet {args}</c> with redirected output and the clean environment.</summary>
    public static ProcessStartInfo NewStartInfo(string workingDirectory, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var key in start.Environment.Keys.ToList())
        {
            if (InheritedPrefixes.Any(p => key.StartsWith(p, StringComparison.OrdinalIgnoreCase))) start.Environment.Remove(key);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        // No build servers left behind by a test.
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        if (environment is not null)
        {
            foreach (var (key, value) in environment) start.Environment[key] = value;
        }

        return start;
    }

    private static string Text(StringBuilder output, Lock gate)
    {
        lock (gate) return output.ToString();
    }
}
