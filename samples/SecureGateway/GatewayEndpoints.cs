using Interlude;
using Interlude.Crypto;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SecureGateway.Http;

namespace SecureGateway;

/// <summary>
/// Maps the gateway's endpoints onto any ASP.NET Core app: the sample's own host (<see cref="GatewayHost"/>), a
/// test's, or a benchmark's on whichever transport and TLS setup it measures.
/// </summary>
public static class GatewayEndpoints
{
    /// <summary>
    /// Maps <c>GET /</c>, <c>GET /.well-known/jwks.json</c>, <c>POST /tokens</c>, <c>POST /tokens/verify</c>,
    /// <c>POST /seal</c> and <c>POST /open</c>. With an <paramref name="engine"/>, every signature, verification,
    /// seal and open is one await on it (the keys are imported into it here); with null, the same operations run
    /// inline on the request's thread with the BCL.
    /// </summary>
    /// <param name="routes">The app (or a route group) to map onto.</param>
    /// <param name="keys">The signing and encryption keys; the caller keeps ownership.</param>
    /// <param name="engine">The crypto engine, or null for inline BCL crypto. The caller keeps ownership and disposes it after the app stops.</param>
    /// <param name="options">Limits, issuer and clock; null for the defaults.</param>
    /// <returns>The group the endpoints are in, for conventions (host filters, authorization, ...).</returns>
    public static RouteGroupBuilder MapGateway(this IEndpointRouteBuilder routes, GatewayKeys keys, CryptoEngine? engine, GatewayOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(keys);
        options ??= new GatewayOptions();
        options.Validate();

        var gateway = new Gateway(keys, GatewayCrypto.Create(keys, engine), options);
        routes.ServiceProvider.GetService<IHostApplicationLifetime>()?.ApplicationStopped.Register(gateway.Dispose);

        RouteGroupBuilder group = routes.MapGroup("");
        group.MapGet("/", context => gateway.Info().ExecuteAsync(context));
        group.MapGet("/.well-known/jwks.json", context =>
        {
            context.Response.Headers.CacheControl = "public, max-age=300";
            return gateway.Jwks().ExecuteAsync(context);
        });
        group.MapPost("/tokens", context => RunAsync(context, gateway.IssueAsync(context)));
        group.MapPost("/tokens/verify", context => RunAsync(context, gateway.VerifyAsync(context)));
        group.MapPost("/seal", context => RunAsync(context, gateway.SealAsync(context)));
        group.MapPost("/open", context => RunAsync(context, gateway.OpenAsync(context)));
        return group;
    }

    private static async Task RunAsync(HttpContext context, Task<IResult> handler)
    {
        IResult result;
        try
        {
            result = await handler.ConfigureAwait(false);
        }
        catch (AcceleratorOverloadedException)
        {
            result = Responses.Problem(StatusCodes.Status503ServiceUnavailable, "Busy", "engine_overloaded",
                "The crypto engine has more work queued than it accepts; retry shortly.", response => response.Headers.RetryAfter = "1");
        }

        await result.ExecuteAsync(context).ConfigureAwait(false);
    }
}
