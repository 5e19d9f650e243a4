using System.Diagnostics;
using Interlude;

namespace CustomDevice;

/// <summary>
/// The same closed-loop load against the built-in <see cref="SimulatedAccelerator"/> and against
/// <see cref="FlagDevice"/>, in alternating rounds on the same loop: each of N coroutines submits an offload of
/// the same service time, awaits it, records the time from submission to resumption, and submits again.
/// </summary>
internal sealed class DeviceRace
{
    private const int MaxSamplesPerRound = 2_000_000;

    private readonly RaceSettings _settings;
    private readonly long[] _samples = new long[MaxSamplesPerRound];
    private int _sampleCount;
    private long _operations;
    private volatile bool _measuring;
    private volatile bool _stop;

    internal DeviceRace(RaceSettings settings) => _settings = settings;

    /// <summary>Runs one round against <paramref name="device"/>'s submission and returns what it measured.</summary>
    internal async Task<RoundResult> RunRoundAsync(LoopGroup loops, Func<ValueTask> submit)
    {
        _sampleCount = 0;
        _operations = 0;
        _measuring = false;
        _stop = false;
        var running = new Task[_settings.Concurrency];
        for (int i = 0; i < running.Length; i++)
        {
            running[i] = loops.RunAsync(() => RunClientAsync(submit));
        }

        await Task.Delay(_settings.WarmUp).ConfigureAwait(false);
        await loops[0].RunAsync(() => { _measuring = true; return ValueTask.CompletedTask; }).ConfigureAwait(false);
        long started = Stopwatch.GetTimestamp();
        await Task.Delay(_settings.Round).ConfigureAwait(false);
        long operations = await loops[0].RunAsync(() =>
        {
            _measuring = false;
            _stop = true;
            return ValueTask.FromResult(_operations);
        }).ConfigureAwait(false);
        TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
        await Task.WhenAll(running).ConfigureAwait(false);

        Array.Sort(_samples, 0, _sampleCount);
        return new RoundResult(operations / elapsed.TotalSeconds, Percentile(0.50), Percentile(0.99));
    }

    // Runs on the loop: no two clients ever touch the counters at once.
    private async ValueTask RunClientAsync(Func<ValueTask> submit)
    {
        while (!_stop)
        {
            long submitted = Stopwatch.GetTimestamp();
            await submit();
            if (_measuring)
            {
                _operations++;
                if (_sampleCount < _samples.Length)
                {
                    _samples[_sampleCount++] = Stopwatch.GetTimestamp() - submitted;
                }
            }
        }
    }

    private double Percentile(double quantile)
    {
        if (_sampleCount == 0)
        {
            return double.NaN;
        }

        int index = Math.Min(_sampleCount - 1, (int)(quantile * _sampleCount));
        return _samples[index] * 1e6 / Stopwatch.Frequency;
    }
}
