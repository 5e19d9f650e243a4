namespace Interlude.Harness.Inference;

/// <summary>One of the comparisons <c>interlude bench infer</c> prints, with the target it is held to.</summary>
/// <param name="Name">A short key, for example "batching_to_aspnet_throughput".</param>
/// <param name="Description">What is compared with what.</param>
/// <param name="Value">The measured value; NaN when either side is missing.</param>
/// <param name="Target">The target.</param>
/// <param name="AtLeast">True: the target is a floor (value ≥ target); false: a ceiling (value ≤ target).</param>
public sealed record InferRatio(string Name, string Description, double Value, double Target, bool AtLeast)
{
    /// <summary>The model whose modes are compared (<see cref="InferModels"/>). Defaults to the embeddings.</summary>
    public string Model { get; init; } = InferModels.Embed;

    /// <summary>Whether the value meets the target; null when there is no value.</summary>
    public bool? Met => double.IsFinite(Value) ? (AtLeast ? Value >= Target : Value <= Target) : null;

    /// <summary>The comparisons for each model in <paramref name="results"/>, in the order the models first appear, from the modes' results and interlude-batching's queue delay.</summary>
    public static IReadOnlyList<InferRatio> Compute(IReadOnlyList<InferModeResult> results, TimeSpan maxQueueDelay)
    {
        ArgumentNullException.ThrowIfNull(results);
        return results.Select(r => r.Model).Distinct()
            .SelectMany(model => ComputeOne([.. results.Where(r => r.Model == model)], maxQueueDelay).Select(ratio => ratio with { Model = model }))
            .ToList();
    }

    private static IReadOnlyList<InferRatio> ComputeOne(IReadOnlyList<InferModeResult> results, TimeSpan maxQueueDelay)
    {
        InferLoadResult? batching = Find(results, InferModes.InterludeBatching)?.Closed;
        InferLoadResult? aspnet = Find(results, InferModes.AspNetOrt)?.Closed;
        InferLoadResult? interlude = Find(results, InferModes.Interlude)?.Closed;
        InferLoadResult? threadPool = Find(results, InferModes.ThreadPoolAsync)?.Closed;
        InferLoadResult? batchingOpen = Find(results, InferModes.InterludeBatching)?.Open;
        InferLoadResult? interludeOpen = Find(results, InferModes.Interlude)?.Open;
        return
        [
            new("batching_to_aspnet_throughput", "interlude-batching requests/s ÷ aspnet-ort requests/s", Divide(batching?.RequestsPerSecond, aspnet?.RequestsPerSecond), 2, AtLeast: true),
            new("batching_to_aspnet_p99", "interlude-batching p99 ÷ aspnet-ort p99 (closed loop)", Divide(batching?.P99Us, aspnet?.P99Us), 1, AtLeast: false),
            new("interlude_to_threadpool_throughput", "interlude requests/s ÷ threadpool-async requests/s", Divide(interlude?.RequestsPerSecond, threadPool?.RequestsPerSecond), 1.2, AtLeast: true),
            new("interlude_to_threadpool_cpu", "app CPU per request, interlude ÷ threadpool-async", Divide(interlude?.AppCpuUsPerRequest, threadPool?.AppCpuUsPerRequest), 1, AtLeast: false),
            new("open_batching_minus_interlude_p50_us", "open loop p50, interlude-batching − interlude (us)", Subtract(batchingOpen?.P50Us, interludeOpen?.P50Us), maxQueueDelay.TotalMicroseconds, AtLeast: false),
        ];
    }

    private static InferModeResult? Find(IReadOnlyList<InferModeResult> results, string mode)
        => results.FirstOrDefault(r => r.Mode == mode && r.Error is null);

    private static double Divide(double? numerator, double? denominator)
        => numerator is { } n && denominator is { } d && double.IsFinite(n) && double.IsFinite(d) && d > 0 ? n / d : double.NaN;

    private static double Subtract(double? left, double? right)
        => left is { } l && right is { } r && double.IsFinite(l) && double.IsFinite(r) ? l - r : double.NaN;
}
