using ContactCenter.Application.Audit;
using ContactCenter.Application.Common;
using ContactCenter.Application.Integrations;

namespace ContactCenter.Application.Tests.Integrations;

public sealed class WebhookSignatureTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    [Fact]
    public void Sign_KnownVector_MatchesTheDocumentedScheme()
    {
        // HMAC-SHA256("whsec_test", "1800000000.{\"a\":1}") computed independently (openssl dgst -sha256 -hmac).
        var header = WebhookSignature.Sign("whsec_test", 1_800_000_000, "{\"a\":1}");
        Assert.Equal("t=1800000000,v1=7de5e6bbc99c65ef0ddccacd4308ba03a5a12eb8859a0db070c5ca731c4fdc19", header);
        Assert.True(WebhookSignature.Verify("whsec_test", header, "{\"a\":1}", Now, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void Verify_TamperedBodyWrongSecretOrStale_Refused()
    {
        var header = WebhookSignature.Sign("whsec_test", Now.ToUnixTimeSeconds(), "{}");
        Assert.False(WebhookSignature.Verify("whsec_test", header, "{ }", Now, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify("whsec_other", header, "{}", Now, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify("whsec_test", header, "{}", Now.AddMinutes(6), TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify("whsec_test", "t=abc,v1=00", "{}", Now, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void NewSecret_Random_PrefixedAndLong()
    {
        var a = WebhookSignature.NewSecret();
        Assert.StartsWith("whsec_", a, StringComparison.Ordinal);
        Assert.True(a.Length >= 48);
        Assert.NotEqual(a, WebhookSignature.NewSecret());
    }

    [Fact]
    public void LogRedaction_EmailsAndPhones_ReplacedByStableTags()
    {
        var text = LogRedaction.Text("550 <Carla.Z@Example.org> rejected; call +44 7700 900123");
        Assert.DoesNotContain("example.org", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("900123", text, StringComparison.Ordinal);
        Assert.Contains(LogRedaction.Tag("carla.z@example.org", "email"), text, StringComparison.Ordinal);
        Assert.Equal("order 12 of 3", LogRedaction.Text("order 12 of 3"));
    }

    [Fact]
    public void ToCsv_QuotesAndFormulaCells_Escaped()
    {
        var csv = AuditLog.ToCsv([new AuditEntryDto(Guid.Empty, Now, "u1", "=cmd()", "127.0.0.1", "x", "a,b", "{\"k\":\"v\"}")]);
        var row = csv.Split("\r\n")[1];
        Assert.Contains(",'=cmd(),", row, StringComparison.Ordinal);
        Assert.Contains(",\"a,b\",", row, StringComparison.Ordinal);
        Assert.EndsWith("\"{\"\"k\"\":\"\"v\"\"}\"", row, StringComparison.Ordinal);
    }
}
