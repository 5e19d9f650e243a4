namespace CustomDevice;

/// <summary>What one round measured: completed offloads per second and submit-to-resume latency in microseconds.</summary>
internal readonly record struct RoundResult(double OperationsPerSecond, double P50Us, double P99Us);
