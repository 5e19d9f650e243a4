using Interlude.AspNetCore;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Hosting;

/// <summary>Runs Kestrel's connections on Interlude loops.</summary>
public static class InterludeWebHostBuilderExtensions
{
    /// <summary>
    /// Makes Kestrel accept and serve TCP connections on Interlude loops: each connection lives on one loop, and
    /// the application code that handles it resumes there. Endpoints Interlude cannot serve (Unix sockets, or
    /// systems other than Linux) stay on Kestrel's socket transport.
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
        });
    }
}
