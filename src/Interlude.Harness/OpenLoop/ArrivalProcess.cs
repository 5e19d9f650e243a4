namespace Interlude.Harness.OpenLoop;

/// <summary>How an open-loop client spaces its requests.</summary>
public enum ArrivalProcess
{
    /// <summary>Exponentially distributed gaps at the mean rate: independent arrivals, as from many users.</summary>
    Poisson,

    /// <summary>Equal gaps of 1/rate.</summary>
    Constant,
}
