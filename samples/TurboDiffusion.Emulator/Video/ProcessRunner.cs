using System.Diagnostics;
using System.Text;

namespace TurboDiffusion.Emulator;

/// <summary>What a finished child process left behind.</summary>
internal sealed record ProcessOutput(int ExitCode, string StandardOutput, string StandardError);

/// <summary>
/// Runs a tool to completion. On cancellation (job abandoned, emulator shutting down) or timeout the
/// whole process tree is killed, so no ffmpeg outlives the emulator or hangs a test run.
/// </summary>
internal static class ProcessRunner
{
    private const int MaxCapturedChars = 64 * 1024;

    /// <exception cref="TimeoutException">The process ran longer than <paramref name="timeout"/> (it was killed).</exception>
    public static async Task<ProcessOutput> RunAsync(string executable, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = start };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"{Path.GetFileName(executable)} did not finish within {timeout.TotalSeconds:0} s and was stopped.");
        }

        // WaitForExitAsync also waits for the redirected streams to reach end of file.
        lock (stdout)
        lock (stderr)
        {
            return new ProcessOutput(process.ExitCode, stdout.ToString(), stderr.ToString());
        }
    }

    private static void Append(StringBuilder buffer, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (buffer)
        {
            if (buffer.Length < MaxCapturedChars)
            {
                buffer.AppendLine(line);
            }
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(TimeSpan.FromSeconds(5));
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }
}
