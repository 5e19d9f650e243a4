using Interlude;
using Interlude.AspNetCore.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Health checks of Interlude's loops.</summary>
public static class InterludeHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a check of the registered <see cref="LoopGroup"/> (<c>services.AddInterlude(...)</c>, or any
    /// <see cref="LoopGroup"/> singleton): unhealthy while one of its loops has made no progress for longer than
    /// <paramref name="stalledFor"/> (default 1 second). It follows the group's stall detector, so the group's
    /// <see cref="LoopGroupOptions.StallThreshold"/> must be shorter than <paramref name="stalledFor"/>.
    /// </summary>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddInterludeLoops(
        this IHealthChecksBuilder builder,
        TimeSpan? stalledFor = null,
        string name = "interlude-loops",
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        TimeSpan threshold = stalledFor ?? TimeSpan.FromSeconds(1);
        if (threshold <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(stalledFor), stalledFor, "The stall threshold must be positive.");
        }

        builder.Services.AddSingleton(provider => new LoopStallHealthCheck(
            provider.GetRequiredService<LoopGroup>(),
            threshold,
            detectorOff: provider.GetService<IOptions<LoopGroupOptions>>()?.Value.StallThreshold == TimeSpan.Zero));
        return builder.Add(new HealthCheckRegistration(name, provider => provider.GetRequiredService<LoopStallHealthCheck>(), failureStatus, tags));
    }
}
