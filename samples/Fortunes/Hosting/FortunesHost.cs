using System.Text.Encodings.Web;
using System.Text.Unicode;
using Fortunes.Data;
using Npgsql;

namespace Fortunes.Hosting;

/// <summary>Builds the app: MVC with views, one <see cref="NpgsqlDataSource"/>, and the transport chosen by configuration.</summary>
public static class FortunesHost
{
    /// <summary>The TechEmpower database on this machine, as scripts/install-postgres.sh creates it.</summary>
    public const string DefaultConnectionString =
        "Host=127.0.0.1;Port=5432;Database=hello_world;Username=benchmarkdbuser;Password=benchmarkdbpass;" +
        "Maximum Pool Size=64;No Reset On Close=true;Max Auto Prepare=4";

    /// <summary>
    /// Builds the app from command-line style arguments: <c>--transport sockets|interlude</c> (default sockets),
    /// <c>--ConnectionStrings:hello_world</c>, <c>--urls</c>, and <c>--Interlude:*</c> for the loops' options.
    /// </summary>
    /// <exception cref="ArgumentException">The transport is neither sockets nor interlude.</exception>
    public static WebApplication Build(string[] args)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(FortunesHost).Assembly.GetName().Name,
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        // The in-memory data protection keys MVC makes at start-up are not used by these endpoints.
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);

        string transport = builder.Configuration["transport"] ?? "sockets";
        if (string.Equals(transport, "interlude", StringComparison.OrdinalIgnoreCase))
        {
            builder.WebHost.UseInterlude(o => builder.Configuration.GetSection("Interlude").Bind(o));
        }
        else if (!string.Equals(transport, "sockets", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"Unknown transport '{transport}': use --transport sockets or --transport interlude.", nameof(args));
        }

        string connectionString = builder.Configuration.GetConnectionString("hello_world") ?? DefaultConnectionString;
        builder.Services.AddSingleton(_ => new NpgsqlDataSourceBuilder(connectionString).Build());
        builder.Services.AddSingleton<WorldDb>();

        // TechEmpower's MVC variant: Razor encodes only what HTML needs, not every non-ASCII character.
        builder.Services.AddWebEncoders(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        builder.Services.AddControllersWithViews().AddApplicationPart(typeof(FortunesHost).Assembly);

        WebApplication app = builder.Build();
        app.MapControllers();
        return app;
    }
}
