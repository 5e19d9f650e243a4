using Interlude.Waiting;

namespace Interlude.Tests.Infrastructure;

/// <summary>A parker sleeper that never blocks: it counts sleeps and wakes and reports readiness as told.</summary>
internal sealed class RecordingSleeper : IParkSleeper
{
    public bool ReturnsOwnReadiness { get; init; }

    public int Sleeps { get; private set; }

    public int Wakes { get; private set; }

    public bool Sleep(long timeoutNs)
    {
        Sleeps++;
        return ReturnsOwnReadiness;
    }

    public void Wake() => Wakes++;
}
