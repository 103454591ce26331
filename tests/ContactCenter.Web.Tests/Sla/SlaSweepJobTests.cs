using ContactCenter.Application.Sla;
using ContactCenter.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Web.Tests.Sla;

/// <summary>The sweep runs as a Quartz job on the app's scheduler, on the real clock.</summary>
public sealed class SlaSweepJobTests
{
    [Fact]
    public async Task SweepJob_RunningApp_SweepsEveryInterval()
    {
        using var host = new ContactCenterHost(new Dictionary<string, string?> { ["Sla:SweepInterval"] = "00:00:00.200" });
        _ = host.BaseAddress;
        var status = host.Services.GetRequiredService<SlaSweepStatus>();

        await Waits.UntilAsync(() => Task.FromResult(status.Completed >= 3), "three sweeps by the Quartz job");

        Assert.NotNull(status.Last);
    }
}
