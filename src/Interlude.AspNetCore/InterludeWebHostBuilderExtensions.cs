using Interlude.AspNetCore;
using Interlude.AspNetCore.Hosting;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Hosting;

/// <summary>Runs Kestrel's connections on Interlude loops.</summary>
public static class InterludeWebHostBuilderExtensions
{
    /// <summary>
    /// Makes Kestrel accept and serve TCP connections on Interlude loops: each connection lives on one loop, and
    /// the application code that handles it resumes there. Endpoints Interlude cannot serve (Unix sockets, or
    /// systems other than Linux) stay on Kestrel's socket transport. The loops are, in order of preference,
    /// <see cref="InterludeTransportOptions.LoopGroup"/>, the group registered with <c>services.AddInterlude(...)</c>,
    /// or a group the transport creates from <see cref="InterludeTransportOptions.Loops"/> and stops with the host.
    /// </summary>
    public static IWebHostBuilder UseInterlude(this IWebHostBuilder builder, Action<InterludeTransportOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.ConfigureServices(services =>
        {
            services.AddSingleton<IConnectionListenerFactory, InterludeTransportFactory>();
            if (configure is not null)
            {
                services.Configure(configure);
            }

            services.AddOptions<InterludeTransportOptions>().PostConfigure<IServiceProvider>(static (options, provider) =>
            {
                if (options.LoopGroup is null && provider.GetService<HostedLoopGroup>() is { } registered)
                {
                    options.LoopGroup = registered.Group;
                }
            });
        });
    }
}
