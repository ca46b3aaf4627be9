namespace TurboDiffusion.Client.Jobs;

/// <summary>
/// Checks a <see cref="JobRecord"/> read back from storage (browser storage is the user's to edit, and an older or
/// broken writer may have left holes): fills what is safely fillable, and says what makes a record unusable.
/// </summary>
public static class StoredJobRecords
{
    /// <summary>
    /// The record made safe to use, or null with <paramref name="problem"/> saying why it cannot be used. Filled
    /// without loss: missing inputs or prompt, a missing timeline, missing entries in the timeline or the error's
    /// field problems, a missing error message; an error message or raw result longer than 8 K characters keeps its head
    /// and tail (<c>StoredText.Cap</c>). Unusable: no id, no job type, no status, a phase this version does
    /// not know.
    /// </summary>
    public static JobRecord? Repair(JobRecord? record, out string? problem)
    {
        problem = record switch
        {
            null => "empty record",
            { Id: null or "" } => "no id",
            { JobType: null } or { JobType: "" } => "no job type",
            { Status: null } => "no status",
            _ when !Enum.IsDefined(record.Status.Phase) => "unknown phase " + (int)record.Status.Phase,
            _ => null,
        };
        if (problem is not null) return null;

        var inputs = record!.Inputs ?? new JobInputs();
        var timeline = record.Timeline ?? [];
        if (timeline.Exists(c => c is null || !Enum.IsDefined(c.Phase)))
        {
            timeline = timeline.RemoveAll(c => c is null || !Enum.IsDefined(c.Phase));
        }

        var error = record.Error;
        if (error is not null)
        {
            var problems = error.FieldProblems.IsDefault ? [] : error.FieldProblems;
            if (problems.Any(p => p is null || p.Field is null || p.Message is null))
            {
                problems = [.. problems.Where(p => p is not null).Select(p => new FieldProblem(p.Field ?? "", p.Message ?? ""))];
            }

            error = error with { Message = StoredText.Cap(error.Message) ?? "", FieldProblems = problems };
        }

        return record with
        {
            Inputs = inputs.Prompt is null ? inputs with { Prompt = "" } : inputs,
            Timeline = timeline,
            Error = error,
            RawResult = StoredText.Cap(record.RawResult),
        };
    }
}
