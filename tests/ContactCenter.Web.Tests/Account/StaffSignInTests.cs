using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using ContactCenter.Application.Audit;
using ContactCenter.Domain.Agents;
using ContactCenter.Testing;
using ContactCenter.Web.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Web.Tests.Account;

/// <summary>Staff sign-in over the real app: TOTP two-factor, lockout, and the audit log of it all.</summary>
public sealed partial class StaffSignInTests : IAsyncLifetime
{
    private readonly ContactCenterHost _host = new(new Dictionary<string, string?>
    {
        ["Identity:Lockout:MaxFailedAccessAttempts"] = "3",
        ["RateLimits:SignInPerMinute"] = "1000",
    });

    public async Task InitializeAsync()
    {
        var team = await _host.CreateTeamAsync("Support");
        await _host.CreateAgentAsync("admin@test.local", "Ada", StaffRole.Admin, team.Id);
        await _host.CreateAgentAsync("alice@test.local", "Alice", StaffRole.Agent, team.Id);
    }

    public Task DisposeAsync()
    {
        _host.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Posts a form the way a browser does: fetch the page for its antiforgery token, then submit; answers the redirect target.</summary>
    private async Task<string> SubmitAsync(CookieContainer cookies, string page, string action, Dictionary<string, string> fields)
    {
        using var client = _host.CreateRealClient(cookies);
        var html = await client.GetStringAsync(page);
        fields["__RequestVerificationToken"] = WebUtility.HtmlDecode(AntiforgeryField().Match(html).Groups[1].Value);
        using var form = new FormUrlEncodedContent(fields);
        using var response = await client.PostAsync(action, form);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!.ToString();
    }

    private Task<string> PasswordAsync(CookieContainer cookies, string email, string password) =>
        SubmitAsync(cookies, "account/login", "account/signin", new() { ["email"] = email, ["password"] = password, ["returnUrl"] = "/console" });

    /// <summary>RFC 6238 as an authenticator app computes it: HMAC-SHA1 of the 30-second counter with the base32 key, 6 digits.</summary>
    private static string Totp(string base32Key, DateTimeOffset at)
    {
        var key = Base32(base32Key.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant());
        var counter = BitConverter.GetBytes(at.ToUnixTimeSeconds() / 30);
        if (BitConverter.IsLittleEndian)
        {
            Array.Reverse(counter);
        }

        var hash = HMACSHA1.HashData(key, counter);
        var offset = hash[^1] & 0x0F;
        var binary = ((hash[offset] & 0x7F) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (binary % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
    }

    private static byte[] Base32(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bits = 0;
        var value = 0;
        var bytes = new List<byte>();
        foreach (var c in text.TrimEnd('='))
        {
            value = (value << 5) | alphabet.IndexOf(c, StringComparison.Ordinal);
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)(value >> (bits - 8)));
                bits -= 8;
            }
        }

        return [.. bytes];
    }

    private async Task<List<AuditEntry>> AuditAsync(string action) =>
        await _host.InScopeAsync(sp => sp.GetRequiredService<IAuditDbContext>().AuditLog.AsNoTracking().Where(e => e.Action == action).ToListAsync());

    [Fact]
    public async Task SignIn_TwoFactorEnrolled_NeedsTheCurrentTotpThenSignsIn()
    {
        var enrolled = await _host.SignInAsync("alice@test.local");
        using (var http = _host.CreateRealClient(enrolled))
        {
            using var setupResponse = await http.PostAsync("api/v1/account/2fa/setup", null);
            var setup = (await setupResponse.Content.ReadFromJsonAsync<TwoFactorSetup>())!;
            Assert.StartsWith("otpauth://totp/ContactCenter:alice%40test.local?secret=", setup.AuthenticatorUri, StringComparison.Ordinal);
            Assert.StartsWith("<svg", setup.QrCodeSvg.TrimStart(), StringComparison.Ordinal);

            using var wrong = await http.PostAsJsonAsync("api/v1/account/2fa/enable", new TwoFactorCode("000000"));
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
            using var enable = await http.PostAsJsonAsync("api/v1/account/2fa/enable", new TwoFactorCode(Totp(setup.SharedKey, DateTimeOffset.UtcNow)));
            Assert.Equal(HttpStatusCode.OK, enable.StatusCode);
            Assert.Equal(10, (await enable.Content.ReadFromJsonAsync<RecoveryCodes>())!.Codes.Count);

            var key = setup.SharedKey;
            var cookies = new CookieContainer();
            Assert.StartsWith("/account/2fa", await PasswordAsync(cookies, "alice@test.local", ContactCenterHost.Password), StringComparison.Ordinal);

            // The password alone does not sign in.
            using (var half = _host.CreateRealClient(cookies))
            using (var refused = await half.GetAsync("api/v1/account/2fa"))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            }

            var badCode = await SubmitAsync(cookies, "account/2fa", "account/2fa", new() { ["code"] = "123456", ["returnUrl"] = "/console" });
            Assert.Contains("error=invalid", badCode, StringComparison.Ordinal);
            var good = await SubmitAsync(cookies, "account/2fa", "account/2fa", new() { ["code"] = Totp(key, DateTimeOffset.UtcNow), ["returnUrl"] = "/console" });
            Assert.Equal("/console", good);

            using var signedIn = _host.CreateRealClient(cookies);
            var status = await signedIn.GetFromJsonAsync<TwoFactorStatus>("api/v1/account/2fa");
            Assert.Equal(new TwoFactorStatus(true, 10), status);
        }

        Assert.Single(await AuditAsync(AuditActions.TwoFactorEnabled));
        var signIns = await AuditAsync(AuditActions.SignInSucceeded);
        Assert.Contains(signIns, e => e.Details!.Contains("totp", StringComparison.Ordinal));
        Assert.Contains(await AuditAsync(AuditActions.SignInFailed), e => e.Details!.Contains("totp", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SignIn_RecoveryCode_WorksOnce()
    {
        var enrolled = await _host.SignInAsync("alice@test.local");
        using var http = _host.CreateRealClient(enrolled);
        var setup = (await (await http.PostAsync("api/v1/account/2fa/setup", null)).Content.ReadFromJsonAsync<TwoFactorSetup>())!;
        var codes = (await (await http.PostAsJsonAsync("api/v1/account/2fa/enable", new TwoFactorCode(Totp(setup.SharedKey, DateTimeOffset.UtcNow)))).Content.ReadFromJsonAsync<RecoveryCodes>())!;

        var first = new CookieContainer();
        await PasswordAsync(first, "alice@test.local", ContactCenterHost.Password);
        Assert.Equal("/console", await SubmitAsync(first, "account/2fa", "account/2fa", new() { ["code"] = codes.Codes[0], ["recovery"] = "true", ["returnUrl"] = "/console" }));

        var second = new CookieContainer();
        await PasswordAsync(second, "alice@test.local", ContactCenterHost.Password);
        Assert.Contains("error=invalid", await SubmitAsync(second, "account/2fa", "account/2fa", new() { ["code"] = codes.Codes[0], ["recovery"] = "true", ["returnUrl"] = "/console" }), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_ThreeWrongPasswords_LockedEvenWithTheRightOne()
    {
        var cookies = new CookieContainer();
        Assert.Contains("error=invalid", await PasswordAsync(cookies, "alice@test.local", "wrong-1"), StringComparison.Ordinal);
        Assert.Contains("error=invalid", await PasswordAsync(cookies, "alice@test.local", "wrong-2"), StringComparison.Ordinal);
        Assert.Contains("error=locked", await PasswordAsync(cookies, "alice@test.local", "wrong-3"), StringComparison.Ordinal);
        Assert.Contains("error=locked", await PasswordAsync(cookies, "alice@test.local", ContactCenterHost.Password), StringComparison.Ordinal);

        Assert.Equal(2, (await AuditAsync(AuditActions.SignInFailed)).Count);
        Assert.Equal(2, (await AuditAsync(AuditActions.SignInLockedOut)).Count);
        Assert.Empty(await AuditAsync(AuditActions.SignInSucceeded));
    }

    [Fact]
    public async Task Audit_AdminFiltersAndExportsCsv_OthersRefused()
    {
        var admin = await _host.SignInAsync("admin@test.local");
        var cookies = new CookieContainer();
        await PasswordAsync(cookies, "nobody@test.local", "whatever");

        using var http = _host.CreateRealClient(admin);
        var entries = (await http.GetFromJsonAsync<List<AuditEntryDto>>("api/v1/audit?action=signin.*"))!;
        Assert.Contains(entries, e => e is { Action: "signin.succeeded", ActorName: "admin@test.local" } && e.Ip is not null);
        var failed = Assert.Single(entries, e => e.Action == "signin.failed");
        Assert.Equal("unknown account", failed.ActorName);
        Assert.DoesNotContain("nobody@test.local", failed.Details ?? "", StringComparison.Ordinal);

        using var csv = await http.GetAsync("api/v1/audit/export?action=signin.*");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("at,actor_id,actor,ip,action,target,details", lines[0]);
        Assert.Equal(entries.Count, lines.Length - 1);
        Assert.Single(await AuditAsync(AuditActions.AuditExported));

        using var agent = _host.CreateRealClient(await _host.SignInAsync("alice@test.local"));
        using var refused = await agent.GetAsync("api/v1/audit");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task AuditLog_ChangeOrDelete_Refused()
    {
        await _host.SignInAsync("admin@test.local");
        await _host.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IAuditDbContext>();
            var entry = await db.AuditLog.FirstAsync();
            db.AuditLog.Remove(entry);
            await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
        });
        Assert.Single(await AuditAsync(AuditActions.SignInSucceeded));
    }

    [Fact]
    public async Task SettingsChange_SlaCalendar_AuditedOnlyWhenItSucceeded()
    {
        using var http = _host.CreateRealClient(await _host.SignInAsync("admin@test.local"));
        using var bad = await http.PostAsJsonAsync("api/v1/admin/business-hours", new { name = "Mars", timeZone = "Mars/Olympus_Mons", intervals = new[] { new { day = "Monday", start = "09:00", end = "17:00" } } });
        using var good = await http.PostAsJsonAsync("api/v1/admin/business-hours", new { name = "Berlin", timeZone = "Europe/Berlin", intervals = new[] { new { day = "Monday", start = "09:00", end = "17:00" } } });
        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.Created), (bad.StatusCode, good.StatusCode));

        var entry = Assert.Single(await AuditAsync(AuditActions.SettingsChanged));
        Assert.Equal(("/api/v1/admin/business-hours", "admin@test.local"), (entry.Target, entry.ActorName));
        Assert.Contains("\"sla\"", entry.Details, StringComparison.Ordinal);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
