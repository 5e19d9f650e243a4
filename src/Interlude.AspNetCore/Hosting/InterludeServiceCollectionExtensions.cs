using Interlude;
using Interlude.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a <see cref="LoopGroup"/> whose lifetime is the host's.</summary>
public static class InterludeServiceCollectionExtensions
{
    /// <summary>
    /// Registers a <see cref="LoopGroup"/> configured from <paramref name="configuration"/> (a section such as
    /// <c>Interlude</c>, with the keys of <see cref="LoopGroupOptions"/>: <c>LoopCount</c>, <c>Cores</c>,
    /// <c>WaitStrategy</c>, <c>StallThreshold</c>, <c>Adaptive:...</c>). The options are checked when the host
    /// starts, and an unknown key, a value of the wrong type or a value out of range stops the start with a
    /// message naming the key. The group starts with the host, and stops after the host's other services (Kestrel
    /// included): it drains for what is left of the host's shutdown timeout, then cancels what remains.
    /// <c>UseInterlude()</c> serves connections on it. Resolve <see cref="LoopGroup"/> to run coroutines on it.
    /// </summary>
    /// <returns>The services.</returns>
    public static IServiceCollection AddInterlude(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<LoopGroupOptions>().Bind(configuration, binder => binder.ErrorOnUnknownConfiguration = true);
        return AddCore(services, (configuration as IConfigurationSection)?.Path);
    }

    /// <summary>
    /// Registers a <see cref="LoopGroup"/> configured in code, with the host's lifetime (see
    /// <see cref="AddInterlude(IServiceCollection, IConfiguration)"/>).
    /// </summary>
    /// <returns>The services.</returns>
    public static IServiceCollection AddInterlude(this IServiceCollection services, Action<LoopGroupOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        OptionsBuilder<LoopGroupOptions> options = services.AddOptions<LoopGroupOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return AddCore(services, null);
    }

    private static IServiceCollection AddCore(IServiceCollection services, string? sectionPath)
    {
        if (services.Any(d => d.ServiceType == typeof(HostedLoopGroup)))
        {
            throw new InvalidOperationException("AddInterlude was called twice: a host has one registered loop group.");
        }

        services.AddSingleton<IValidateOptions<LoopGroupOptions>>(new LoopGroupOptionsValidator(sectionPath));
        services.AddOptions<LoopGroupOptions>().ValidateOnStart();
        services.AddSingleton<HostedLoopGroup>();
        services.AddHostedService(provider => provider.GetRequiredService<HostedLoopGroup>());
        services.AddSingleton(provider => provider.GetRequiredService<HostedLoopGroup>().Group);
        return services;
    }
}
