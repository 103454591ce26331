using ContactCenter.Web.Bench;

// In the ContactCenter.Web namespace so that WebExtensions.UseWeb maps it with one line and no using.
namespace ContactCenter.Web;

public static class BenchRelayExtensions
{
    /// <summary>
    /// Maps /bench/relay only when configuration Bench:RelayHub is true. It is OFF by default and must stay
    /// off in any real deployment: the relay is anonymous by design (anyone could use the server to relay
    /// traffic). Only the benchmark harness turns it on, for the server it starts itself.
    /// </summary>
    public static IEndpointRouteBuilder MapBenchRelay(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var config = app.ServiceProvider.GetRequiredService<IConfiguration>();
        if (config.GetValue("Bench:RelayHub", false))
        {
            app.MapHub<RelayHub>(RelayHub.Path).AllowAnonymous();
        }

        return app;
    }
}
