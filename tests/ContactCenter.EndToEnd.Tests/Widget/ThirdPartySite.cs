using System.Collections.Concurrent;
using System.Net;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ContactCenter.EndToEnd.Tests.Widget;

/// <summary>
/// Somebody else's website: a tiny Kestrel app on its own loopback port (so a different origin from the contact
/// center) serving plain HTML pages that embed the widget with the one-line snippet. Its own CSS is deliberately
/// loud, to show the widget is isolated from it.
/// </summary>
public sealed class ThirdPartySite : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string> _pages = new(StringComparer.Ordinal);

    private ThirdPartySite(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>The site's origin (scheme://host:port), as browsers send it in the Origin header.</summary>
    public string Origin => Address.GetLeftPart(UriPartial.Authority);

    public static async Task<ThirdPartySite> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        ThirdPartySite? site = null;
        app.Run(async context =>
        {
            if (site is not null && site._pages.TryGetValue(context.Request.Path.Value ?? "/", out var html))
            {
                context.Response.ContentType = "text/html; charset=utf-8";
                context.Response.Headers.CacheControl = "no-store";
                await context.Response.WriteAsync(html);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status404NotFound;
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        site = new ThirdPartySite(app, new Uri(address.EndsWith('/') ? address : address + "/"));
        return site;
    }

    /// <summary>Serves a shop page at <paramref name="path"/> embedding the widget from <paramref name="contactCenter"/> with the given attributes.</summary>
    public Uri ShopPage(string path, Uri contactCenter, Guid inboxId, IDictionary<string, string>? attributes = null)
    {
        var e = HtmlEncoder.Default;
        var extra = string.Concat((attributes ?? new Dictionary<string, string>()).Select(a => $" {a.Key}=\"{e.Encode(a.Value)}\""));
        var script = $"<script src=\"{e.Encode(new Uri(contactCenter, "widget.js").ToString())}\" data-inbox=\"{inboxId:D}\"{extra} async></script>";
        _pages[path] = $$"""
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Northwind Bikes — spare parts</title>
<style>
  /* The host site's own, aggressive styles: none of this may leak into the chat widget. */
  * { font-family: "Courier New", monospace !important; }
  body { margin: 0; background: #fff7ed; color: #431407; }
  header { background: #9a3412; color: #fff; padding: 18px 28px; font-size: 22px; }
  main { padding: 28px; max-width: 760px; }
  button, textarea, input, select { background: #f0f !important; border: 4px dashed lime !important; font-size: 30px !important; }
  p { line-height: 2.2; font-size: 18px; }
  .card { border: 2px solid #fdba74; border-radius: 8px; padding: 14px 18px; margin: 16px 0; background: #fff; }
</style>
</head>
<body>
<header>Northwind Bikes</header>
<main>
  <h1>Spare parts &amp; repairs</h1>
  <p>Chains, brake pads and tubes for every bike. Questions about an order? Use the chat in the corner.</p>
  <div class="card"><strong>Brake pads, set of 4</strong><p>€ 19.90 — in stock</p><button type="button">Add to basket</button></div>
  <div class="card"><strong>City tube 28"</strong><p>€ 7.50 — in stock</p><button type="button">Add to basket</button></div>
</main>
{{script}}
</body>
</html>
""";
        return new Uri(Address, path.TrimStart('/'));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
