using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ContactCenter.Application.Replies;
using ContactCenter.Domain.Agents;
using ContactCenter.Testing;

namespace ContactCenter.Web.Tests.Endpoints;

/// <summary>/api/v1/canned-responses: agents read what they may use, supervisors and admins manage them.</summary>
public sealed class CannedResponseEndpointsTests : IDisposable
{
    private readonly ContactCenterHost _host = new();

    public void Dispose() => _host.Dispose();

    /// <summary>An admin signed in through the real form (cookie).</summary>
    private async Task<HttpClient> AdminAsync()
    {
        await _host.CreateAgentAsync("ada@t.local", "Ada", StaffRole.Admin);
        return _host.CreateRealClient(await _host.SignInAsync("ada@t.local"));
    }

    private static async Task<string> CodeAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("code").GetString()!;
    }

    [Fact]
    public async Task Admin_CreatesEveryonesAndTeamAnswers_AgentsSeeOnlyTheirs()
    {
        var support = await _host.CreateTeamAsync("Support");
        var billing = await _host.CreateTeamAsync("Billing");
        await _host.CreateAgentAsync("sam@t.local", "Sam", StaffRole.Agent, support.Id);
        using var admin = await AdminAsync();

        using var everyone = await admin.PostAsJsonAsync("api/v1/canned-responses", new SaveCannedResponse("/Hi", "Greeting", "Hello {{contact.first_name}}!", null));
        using var billingOnly = await admin.PostAsJsonAsync("api/v1/canned-responses", new SaveCannedResponse("refund", "Refunds", "5 days.", billing.Id.Value));
        Assert.Equal(HttpStatusCode.Created, everyone.StatusCode);
        Assert.Equal(HttpStatusCode.Created, billingOnly.StatusCode);

        using var agent = _host.CreateRealClient(await _host.SignInAsync("sam@t.local"));
        var visible = await agent.GetFromJsonAsync<List<CannedResponseDto>>("api/v1/canned-responses");

        Assert.Equal(["hi"], visible!.Select(c => c.Shortcut));
        var all = await admin.GetFromJsonAsync<List<CannedResponseDto>>("api/v1/canned-responses");
        Assert.Equal(["hi", "refund"], all!.Select(c => c.Shortcut));
    }

    [Fact]
    public async Task Create_DuplicateShortcut_409_BadShortcut_400_NothingStored()
    {
        using var admin = await AdminAsync();
        (await admin.PostAsJsonAsync("api/v1/canned-responses", new SaveCannedResponse("bye", "Closing", "Bye!", null))).Dispose();

        using var duplicate = await admin.PostAsJsonAsync("api/v1/canned-responses", new SaveCannedResponse("/BYE", "Other", "Ciao", null));
        using var bad = await admin.PostAsJsonAsync("api/v1/canned-responses", new SaveCannedResponse("two words", "T", "x", null));

        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal("conflict.canned.shortcut_taken", await CodeAsync(duplicate));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("validation.canned.shortcut", await CodeAsync(bad));
        Assert.Single((await admin.GetFromJsonAsync<List<CannedResponseDto>>("api/v1/canned-responses"))!);
    }

    [Fact]
    public async Task Agent_CannotCreateChangeOrDelete()
    {
        var team = await _host.CreateTeamAsync("Support");
        await _host.CreateAgentAsync("ann@t.local", "Ann", StaffRole.Agent, team.Id);
        using var admin = await AdminAsync();
        using var created = await admin.PostAsJsonAsync("api/v1/canned-responses", new SaveCannedResponse("hi", "Hi", "Hello", null));
        var id = (await created.Content.ReadFromJsonAsync<CannedResponseDto>())!.Id;
        using var agent = _host.CreateRealClient(await _host.SignInAsync("ann@t.local"));

        using var create = await agent.PostAsJsonAsync("api/v1/canned-responses", new SaveCannedResponse("mine", "Mine", "x", null));
        using var change = await agent.PutAsJsonAsync($"api/v1/canned-responses/{id}", new SaveCannedResponse("hi", "Hi", "Changed", null));
        using var delete = await agent.DeleteAsync($"api/v1/canned-responses/{id}");

        Assert.Equal([HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden], new[] { create.StatusCode, change.StatusCode, delete.StatusCode });
        Assert.Equal("Hello", Assert.Single((await admin.GetFromJsonAsync<List<CannedResponseDto>>("api/v1/canned-responses"))!).Text);
    }

    [Fact]
    public async Task Admin_ChangesAndDeletes()
    {
        using var admin = await AdminAsync();
        using var created = await admin.PostAsJsonAsync("api/v1/canned-responses", new SaveCannedResponse("hi", "Hi", "Hello", null));
        var id = (await created.Content.ReadFromJsonAsync<CannedResponseDto>())!.Id;

        using var change = await admin.PutAsJsonAsync($"api/v1/canned-responses/{id}", new SaveCannedResponse("hello", "Hello", "Hello there", null));
        Assert.Equal(HttpStatusCode.OK, change.StatusCode);
        Assert.Equal("hello", (await change.Content.ReadFromJsonAsync<CannedResponseDto>())!.Shortcut);
        using var delete = await admin.DeleteAsync($"api/v1/canned-responses/{id}");
        using var again = await admin.DeleteAsync($"api/v1/canned-responses/{id}");

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task Anonymous_Refused()
    {
        using var client = _host.CreateRealClient();
        using var response = await client.GetAsync("api/v1/canned-responses");
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }
}
