using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Application.Sla;

public static class SlaServices
{
    /// <summary>The SLA planner (used by the DbContext on save), the sweep, and the admin use cases (`Sla` section).</summary>
    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SlaOptions>()
            .Bind(configuration.GetSection(SlaOptions.Section))
            .Validate(o => o.WarningShare is > 0 and <= 1, "Sla:WarningShare is in (0, 1].")
            .Validate(o => o.SweepInterval > TimeSpan.Zero, "Sla:SweepInterval must be positive.")
            .ValidateOnStart();
        services.AddSingleton<SlaPlanner>();
        services.AddSingleton<SlaSweepStatus>();
        services.AddScoped<SlaSweeper>();
        services.AddScoped<SlaAdministration>();
        services.AddScoped<SlaQueries>();
    }
}
