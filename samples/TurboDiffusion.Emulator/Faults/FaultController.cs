using Microsoft.Extensions.Options;

namespace TurboDiffusion.Emulator;

/// <summary>
/// The fault knobs in effect now. Tests and the host change them in-process; <c>/_emulator/faults</c>
/// changes them over HTTP. Counted faults (fail the next N jobs, the next N GETs) count down here.
/// </summary>
public sealed class FaultController
{
    private readonly Lock gate = new();
    private readonly EmulatorOptions options;
    private EmulatorFaults current;

    /// <summary>Creates the controller with the start-up faults of <paramref name="options"/>.</summary>
    public FaultController(IOptions<EmulatorOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options.Value;
        current = this.options.Faults;
    }

    /// <summary>The faults in effect now.</summary>
    public EmulatorFaults Current => Volatile.Read(ref current);

    /// <summary>The presigned-URL lifetime in effect: the fault override, else the option.</summary>
    public TimeSpan UrlLifetime => Current.UrlLifetime ?? options.UrlLifetime;

    /// <summary>The Celery result expiry in effect: the fault override, else the option (null: never).</summary>
    public TimeSpan? ResultExpiry => Current.ResultExpiry ?? options.ResultExpiry;

    /// <summary>Replaces every fault at once.</summary>
    /// <exception cref="ArgumentException">The faults are invalid (the message lists why).</exception>
    public void Set(EmulatorFaults faults)
    {
        ArgumentNullException.ThrowIfNull(faults);
        var errors = EmulatorOptionsValidator.CheckFaults(faults, "Faults:").ToList();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(faults));
        }

        lock (gate)
        {
            Volatile.Write(ref current, faults);
        }
    }

    /// <summary>Changes some faults, e.g. <c>Update(f => f with { BrokerDown = true })</c>, and returns the result.</summary>
    public EmulatorFaults Update(Func<EmulatorFaults, EmulatorFaults> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (gate)
        {
            var next = change(current);
            Set(next);
            return next;
        }
    }

    /// <summary>Turns every fault back to its start-up value (off unless configured).</summary>
    public void Reset()
    {
        lock (gate)
        {
            Volatile.Write(ref current, options.Faults);
        }
    }

    /// <summary>Takes one "fail the next job" ticket, if any is left.</summary>
    internal bool TryTakeJobFailure(out string message)
    {
        lock (gate)
        {
            var fault = current.FailNextJobs;
            if (fault.Count <= 0)
            {
                message = "";
                return false;
            }

            message = fault.Message;
            Volatile.Write(ref current, current with { FailNextJobs = fault with { Count = fault.Count - 1 } });
            return true;
        }
    }

    /// <summary>Decides whether this status GET fails with 429/503, counting down a limited fault.</summary>
    internal bool TryTakeGetError(out GetErrorFault fault)
    {
        lock (gate)
        {
            fault = current.GetError;
            if (fault.StatusCode == 0)
            {
                return false;
            }

            if (fault.Count is { } left)
            {
                var next = left <= 1 ? new GetErrorFault() : fault with { Count = left - 1 };
                Volatile.Write(ref current, current with { GetError = next });
                if (left <= 0)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
