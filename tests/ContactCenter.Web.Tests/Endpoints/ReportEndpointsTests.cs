using System.Net;
using System.Text.Json;
using ContactCenter.Testing;

namespace ContactCenter.Web.Tests.Endpoints;

public sealed class ReportEndpointsTests : IDisposable
{
    private const string AdminToken = "cc_test-report-admin-token-0123456789";
    private readonly ContactCenterHost _host = new(new Dictionary<string, string?> { ["Seed:Demo"] = "true", ["Seed:ApiToken"] = AdminToken });

    public void Dispose() => _host.Dispose();

    private HttpClient Admin() => _host.CreateTokenClient(AdminToken);

    [Fact]
    public async Task Volume_AsCsv_IsADownloadWithAHeaderAndTheDemoConversations()
    {
        using var client = Admin();

        using var response = await client.GetAsync("api/v1/reports/volume?format=csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("volume-", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'), StringComparison.Ordinal);
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Day,Channel,Team,Conversations", lines[0]);
        Assert.True(lines.Skip(1).Sum(l => int.Parse(l.Split(',')[^1], System.Globalization.CultureInfo.InvariantCulture)) >= 4);
    }

    [Fact]
    public async Task ResponseTimesAndCompliance_AsJson_AnswerRows()
    {
        using var client = Admin();

        using var times = JsonDocument.Parse(await client.GetStringAsync("api/v1/reports/response-times"));
        using var compliance = JsonDocument.Parse(await client.GetStringAsync("api/v1/reports/sla-compliance"));

        Assert.NotEqual(0, times.RootElement.GetArrayLength());
        Assert.Contains(compliance.RootElement.EnumerateArray(), r => r.GetProperty("underSla").GetInt32() > 0);
    }

    [Fact]
    public async Task VolumeAndAgents_ChannelFilter_VolumeKeepsOnlyThatChannelAndAgentsAnswer()
    {
        using var client = Admin();

        using var email = JsonDocument.Parse(await client.GetStringAsync("api/v1/reports/volume?channel=Email"));
        using var agents = JsonDocument.Parse(await client.GetStringAsync("api/v1/reports/agents?channel=Email"));

        Assert.All(email.RootElement.EnumerateArray(), r => Assert.Equal("Email", r.GetProperty("channel").ToString()));
        Assert.Equal(JsonValueKind.Array, agents.RootElement.ValueKind);
    }

    [Fact]
    public async Task Volume_ReversedRange_IsAProblem()
    {
        using var client = Admin();

        using var response = await client.GetAsync("api/v1/reports/volume?from=2026-03-10&to=2026-03-01");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("validation.report.range", problem.RootElement.GetProperty("code").GetString());
    }
}
