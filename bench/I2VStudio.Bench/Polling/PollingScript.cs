using TurboDiffusion.Client.Jobs.I2V;

namespace I2VStudio.Bench.Polling;

/// <summary>One job of the script: when the user submits it, with which parameters, and how its run ends.</summary>
/// <param name="Name">A readable name (group letter and number).</param>
/// <param name="SubmitAt">Time of the POST, from the start of the script.</param>
/// <param name="Params">The i2v parameters (the seed differs between jobs of a group).</param>
/// <param name="Run">How long the worker runs it (until SUCCESS, or until FAILURE when <paramref name="Fails"/>).</param>
/// <param name="Fails">True when the run ends in FAILURE (a CUDA out-of-memory after the first of four steps).</param>
public sealed record ScriptedJob(string Name, TimeSpan SubmitAt, I2VParams Params, TimeSpan Run, bool Fails);

/// <summary>
/// The fixed, seeded script of scenario 1: a creator's half hour on one GPU worker. 19 jobs in three parameter groups
/// (A: 4 steps quantized, about 60 s; B: 2 steps, about 32 s; C: 4 steps full precision, 10 s of video, about 170 s),
/// submitted in five bursts so each queues behind the earlier ones; run times vary ±3 % within a group. Two jobs fail
/// with an out-of-memory error after the first of their four sampling steps (a quarter into the run, as the emulator
/// models it); both are jobs whose group has been learned already, the worst case for sparse polling. Plus one job id
/// the backend never saw (tracked by id), which must end as Lost.
/// </summary>
public static class PollingScript
{
    public const int Seed = 2026;

    /// <summary>When the unknown job id is tracked.</summary>
    public static readonly TimeSpan UnknownAdoptedAt = TimeSpan.FromSeconds(600);

    public const string UnknownJobId = "00000000-0000-4000-8000-00000000dead";

    public static IReadOnlyList<ScriptedJob> Jobs { get; } = Build();

    private static List<ScriptedJob> Build()
    {
        var random = new Random(Seed);
        var a = new I2VParams { NumSteps = 4, Quantized = true };
        var b = new I2VParams { NumSteps = 2, Quantized = true };
        var c = new I2VParams { NumSteps = 4, Quantized = false, DurationSeconds = 10 };
        var typical = new Dictionary<char, (I2VParams Params, double Seconds)>
        {
            ['A'] = (a, 60), ['B'] = (b, 32), ['C'] = (c, 170),
        };

        // (submit second, job names); a trailing '!' marks the two failures.
        (int At, string[] Names)[] bursts =
        [
            (0, ["A1", "A2", "A3", "B1"]),
            (150, ["A4", "C1", "B2"]),
            (300, ["C2", "A5", "B3"]),
            (480, ["C3", "A6", "C4!", "B4"]),
            (700, ["A7!", "C5", "A8", "C6", "A9"]),
        ];

        var jobs = new List<ScriptedJob>();
        var seed = 1000L;
        foreach (var (at, names) in bursts)
        {
            foreach (var raw in names)
            {
                var fails = raw.EndsWith('!');
                var name = raw.TrimEnd('!');
                var (parameters, seconds) = typical[name[0]];
                var run = seconds * (1 + ((random.NextDouble() * 2) - 1) * 0.03);
                if (fails) run *= 0.25;
                jobs.Add(new ScriptedJob(name, TimeSpan.FromSeconds(at), parameters with { Seed = seed++ },
                    TimeSpan.FromSeconds(Math.Round(run, 3)), fails));
            }
        }

        return jobs;
    }
}
