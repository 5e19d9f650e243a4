using System.Diagnostics;

namespace Interlude.Harness.Soak;

/// <summary>
/// Drives a soak run: on every loop a driver coroutine starts requests at the loop's share of the arrival rate
/// (checked each millisecond on the loop's own timer), each request offloads once to the simulated device and
/// records how it ended; a sampler thread reads memory and queue depth about once a second. At the end the
/// drivers stop and the loop group is stopped (drained, then cancelled), so every request that arrived ends.
/// </summary>
public sealed class SoakRun
{
    /// <summary>Requests one loop may have started and not yet running before further arrivals are turned away.</summary>
    public const int MaxBacklog = 4096;

    private static readonly TimeSpan s_tick = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan s_drain = TimeSpan.FromSeconds(2);

    private readonly SoakSettings _settings;

    // Written by the controlling thread when arrivals must stop; read by the drivers on the loops.
    private volatile bool _stopArrivals;

    public SoakRun(SoakSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.DeadlockOneLoop && settings.Loops < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), settings, "Deadlocking a loop needs at least two loops: one to block and one to keep serving.");
        }

        if (settings.Duration <= TimeSpan.Zero || settings.Overload <= 0 || settings.Lanes < 1 || settings.Loops < 1
            || settings.ServiceTime <= TimeSpan.Zero || settings.ErrorRate is < 0 or > 1 || settings.DeadlineShare is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), settings, "Every soak setting must be positive, and the rates between 0 and 1.");
        }

        _settings = settings;
    }

    /// <summary>Runs to the end; <paramref name="progress"/> gets each memory reading as it is taken.</summary>
    public async Task<SoakResult> RunAsync(Action<MemorySample>? progress, CancellationToken cancellationToken)
    {
        int[] cores = CpuAffinity.AllowedCores();
        var loops = new LoopGroup(new LoopGroupOptions { LoopCount = _settings.Loops, PinThreads = false, StallThreshold = TimeSpan.Zero });
        using var device = new SimulatedAccelerator(new SimulatedAcceleratorOptions
        {
            ServiceTime = ServiceTime.Fixed(_settings.ServiceTime),
            Lanes = _settings.Lanes,
            ErrorRate = _settings.ErrorRate,
            Overflow = _settings.Overflow,
            MaxQueuedSubmissions = _settings.MaxQueuedSubmissions,
            RingCapacity = 256,
            Cores = cores.Length > 1 ? [cores[^1]] : null,
        });
        var counts = new SoakCounts[_settings.Loops];
        var samples = new List<MemorySample>();
        var clock = Stopwatch.StartNew();
        var drivers = new Task[_settings.Loops];
        for (int i = 0; i < drivers.Length; i++)
        {
            counts[i] = new SoakCounts();
            var driver = new Driver(this, device, counts[i], _settings.ArrivalRate / _settings.Loops, seed: i + 1);
            drivers[i] = loops[i].RunAsync(driver.RunAsync);
        }

        using var release = new ManualResetEventSlim(false);
        bool deadlocked = false;
        try
        {
            while (clock.Elapsed < _settings.Duration)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
                if (_settings.DeadlockOneLoop && !deadlocked && clock.Elapsed >= _settings.Duration / 2)
                {
                    // The last loop's thread blocks until after the stop, with its requests and driver on it.
                    deadlocked = true;
                    loops[^1].Spawn(static r => { r.Wait(); return ValueTask.CompletedTask; }, release);
                }

                MemorySample sample = Sample(clock.Elapsed, loops);
                samples.Add(sample);
                progress?.Invoke(sample);
            }
        }
        finally
        {
            _stopArrivals = true;
        }

        // A deadlocked loop's driver never returns: the stop abandons it.
        await Task.WhenAll(deadlocked ? drivers[..^1] : drivers).ConfigureAwait(false);
        var stopping = Stopwatch.StartNew();
        ShutdownReport shutdown = await loops.StopAsync(s_drain).ConfigureAwait(false);
        TimeSpan stopTook = stopping.Elapsed;

        // Counted while the deadlocked loop is still blocked, then released so its thread can end.
        var total = new SoakCounts();
        foreach (SoakCounts loopCounts in counts)
        {
            total.Add(loopCounts);
        }

        release.Set();

        return new SoakResult(_settings, total, samples, shutdown, stopTook, s_drain);
    }

    private static MemorySample Sample(TimeSpan at, LoopGroup loops)
    {
        long queued = 0;
        foreach (LoopStatistics loop in loops.GetStatistics())
        {
            queued += loop.QueuedSubmissions;
        }

        return new MemorySample(at, GC.GetGCMemoryInfo().HeapSizeBytes, ResidentBytes(), queued, loops.InFlightCoroutines);
    }

    private static long ResidentBytes()
    {
        try
        {
            // statm: size resident shared text lib data dt, in pages.
            string[] fields = File.ReadAllText("/proc/self/statm").Split(' ');
            return long.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture) * Environment.SystemPageSize;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 0;
        }
    }

    /// <summary>One loop's arrivals and requests; every member runs on that loop.</summary>
    private sealed class Driver(SoakRun run, SimulatedAccelerator device, SoakCounts counts, double ratePerSecond, int seed)
    {
        private readonly Random _random = new(seed);

        // Loop only: requests spawned whose coroutine has not started yet.
        private int _backlog;

        public async ValueTask RunAsync()
        {
            Loop loop = Loop.Current!;
            long started = Stopwatch.GetTimestamp();
            long arrived = 0;
            while (!run._stopArrivals)
            {
                // Open loop: as many requests as the rate says should have arrived by now, whatever is in flight.
                long due = (long)(Stopwatch.GetElapsedTime(started).TotalSeconds * ratePerSecond);
                for (; arrived < due; arrived++)
                {
                    if (_backlog >= MaxBacklog)
                    {
                        counts.NotAdmitted++;
                        continue;
                    }

                    // Counted once spawned: a stop that begins meanwhile refuses the spawn (it throws), and a request
                    // counted before that would be neither ended nor abandoned.
                    loop.Spawn(static d => d.RequestAsync(), this);
                    _backlog++;
                    counts.Arrived++;
                }

                await loop.Delay(s_tick);
            }
        }

        private async ValueTask RequestAsync()
        {
            _backlog--;
            CancellationTokenSource? deadline = _random.NextDouble() < run._settings.DeadlineShare
                ? new CancellationTokenSource(run._settings.Deadline)
                : null;
            try
            {
                await device.SubmitAsync(deadline?.Token ?? default);
                counts.Completed++;
            }
            catch (AcceleratorOverloadedException)
            {
                counts.Overloaded++;
            }
            catch (AcceleratorException)
            {
                counts.Faulted++;
            }
            catch (OperationCanceledException)
            {
                counts.Cancelled++;
            }
            catch (Exception ex)
            {
                counts.Unexpected++;
                counts.FirstUnexpected ??= ex.GetType().FullName;
            }
            finally
            {
                deadline?.Dispose();
            }
        }
    }
}
