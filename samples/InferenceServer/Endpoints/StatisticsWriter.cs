using System.Text.Json;
using Interlude.Inference;

namespace InferenceServer.Endpoints;

/// <summary>The server's figures as JSON: per model (batches, batch sizes, queue delay, latency) and per device thread (utilization).</summary>
internal static class StatisticsWriter
{
    public static void WriteModel(Utf8JsonWriter w, InferenceModelStatistics s)
    {
        long ended = s.RequestsCompleted + s.RequestsFailed;
        w.WriteStartObject();
        w.WriteString("model"u8, s.Model);
        w.WriteNumber("requests_queued"u8, s.RequestsQueued);
        w.WriteNumber("requests_completed"u8, s.RequestsCompleted);
        w.WriteNumber("requests_failed"u8, s.RequestsFailed);
        w.WriteNumber("requests_cancelled"u8, s.RequestsCancelled);
        w.WriteNumber("batches"u8, s.Batches);
        w.WriteNumber("average_batch_size"u8, s.AverageBatchSize);
        w.WriteStartObject("batch_sizes"u8);
        for (int size = 1; size < s.BatchSizeCounts.Count; size++)
        {
            if (s.BatchSizeCounts[size] > 0)
            {
                w.WriteNumber(size.ToString(System.Globalization.CultureInfo.InvariantCulture), s.BatchSizeCounts[size]);
            }
        }

        w.WriteEndObject();
        w.WriteNumber("queue_delay_mean_us"u8, ended == 0 ? 0 : s.TotalQueueDelay.TotalMicroseconds / ended);
        w.WriteNumber("queue_delay_max_us"u8, s.MaxQueueDelay.TotalMicroseconds);
        w.WriteNumber("run_time_total_ms"u8, s.TotalRunTime.TotalMilliseconds);
        w.WriteNumber("latency_mean_us"u8, s.LatencySamples == 0 ? 0 : s.TotalLatency.TotalMicroseconds / s.LatencySamples);
        w.WriteNumber("latency_max_us"u8, s.MaxLatency.TotalMicroseconds);
        w.WriteEndObject();
    }

    public static void WriteDevice(Utf8JsonWriter w, InferenceDevice device, TimeSpan elapsed)
    {
        w.WriteStartObject();
        w.WriteString("execution_provider"u8, device.ExecutionProvider.ToString());
        if (device.ExecutionProviderFallbackReason is { } reason)
        {
            w.WriteString("execution_provider_fallback"u8, reason);
        }

        w.WriteNumber("uptime_s"u8, elapsed.TotalSeconds);
        w.WriteStartArray("threads"u8);
        foreach (InferenceThreadStatistics thread in device.GetThreadStatistics())
        {
            w.WriteStartObject();
            w.WriteNumber("index"u8, thread.Index);
            w.WriteNumber("batches"u8, thread.Batches);
            w.WriteNumber("requests"u8, thread.Requests);
            w.WriteNumber("busy_s"u8, thread.BusyTime.TotalSeconds);
            w.WriteNumber("utilization_since_start"u8, elapsed > TimeSpan.Zero ? thread.BusyTime / elapsed : 0);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }
}
