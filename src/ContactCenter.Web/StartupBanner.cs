using ContactCenter.Infrastructure.Seed;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace ContactCenter.Web;

internal static class StartupBanner
{
    public static void Print(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var baseUrl = (addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal)) ?? addresses.FirstOrDefault() ?? "http://localhost:5000").TrimEnd('/');
        var seed = app.Services.GetRequiredService<IOptions<SeedOptions>>().Value;
        var lines = new List<string>
        {
            "",
            "  ContactCenter is ready.",
            $"    Agent console:     {baseUrl}/console",
            $"    Supervisor view:   {baseUrl}/supervisor",
            $"    Widget demo page:  {baseUrl}/widget-demo",
            $"    API description:   {baseUrl}/openapi/v1.json",
            $"    Health:            {baseUrl}/health",
        };
        if (seed.Demo && app.Environment.IsDevelopment())
        {
            lines.Add($"  Demo sign-ins (password: {seed.DemoPassword}):");
            lines.AddRange(DemoSeeder.Users.Select(u => $"    {u.Email,-24} {u.Role,-11} {u.DisplayName}"));
        }

        lines.Add("");
        Console.WriteLine(string.Join(Environment.NewLine, lines));
    }
}
