using System.Net;
using System.Text.RegularExpressions;
using ContactCenter.Testing;

namespace ContactCenter.Web.Tests.Security;

/// <summary>Signing out is a form post from our own pages: another site cannot sign a staff member out (no antiforgery token, no sign-out).</summary>
public sealed partial class LogoutTests : IDisposable
{
    private readonly ContactCenterHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task Logout_WithoutAntiforgeryToken_400_StillSignedIn_WithTheConsolesToken_SignsOut()
    {
        await _host.CreateAgentAsync("alice@test.local", "Alice Martin");
        var cookies = await _host.SignInAsync("alice@test.local");
        using var client = _host.CreateRealClient(cookies);

        // A cross-site form post carries the cookie but cannot know the token.
        using (var forged = await client.PostAsync("account/logout", new FormUrlEncodedContent(new Dictionary<string, string>())))
        {
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        }

        using (var wrong = await client.PostAsync("account/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = "forged" })))
        {
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        }

        using (var still = await client.GetAsync("api/v1/teams"))
        {
            Assert.Equal(HttpStatusCode.OK, still.StatusCode);
        }

        // The sign-out form of the app's layout carries the token: that post signs out.
        var page = await client.GetStringAsync("settings/api-tokens");
        var form = LogoutForm().Match(page);
        Assert.True(form.Success, "the layout's sign-out form with its antiforgery field");
        using (var logout = await client.PostAsync("account/logout", new FormUrlEncodedContent(new Dictionary<string, string>
               {
                   ["__RequestVerificationToken"] = WebUtility.HtmlDecode(form.Groups[1].Value),
               })))
        {
            Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
            Assert.Equal("/account/login", logout.Headers.Location?.ToString());
        }

        using var after = await client.GetAsync("api/v1/teams");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [GeneratedRegex("""<form method="post" action="/account/logout">\s*<input type="hidden" name="__RequestVerificationToken" value="([^"]+)""")]
    private static partial Regex LogoutForm();
}
