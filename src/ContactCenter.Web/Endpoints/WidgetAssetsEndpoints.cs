using System.Text.Encodings.Web;
using ContactCenter.Application.Abstractions;
using ContactCenter.Domain.Common;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace ContactCenter.Web.Endpoints;

/// <summary>
/// The customers' widget assets. <c>GET /widget.js</c> itself is a static web asset (wwwroot/widget.js, bundled
/// from Widget/ by the build) served by MapStaticAssets; this adds <c>GET /widget-demo</c>, a fictitious shop
/// page that embeds the widget the way a customer's site would.
/// </summary>
public static class WidgetAssetsEndpoints
{
    public const string DemoPath = "/widget-demo";

    public static IEndpointRouteBuilder MapWidgetAssets(this IEndpointRouteBuilder app)
    {
        app.MapGet(DemoPath, DemoPageAsync)
            .AllowAnonymous()
            .ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> DemoPageAsync(HttpContext http, IApplicationDbContext db, [FromQuery] string? inbox, CancellationToken ct)
    {
        var webChat = db.Inboxes.AsNoTracking().Where(i => i.Channel == ChannelKind.WebChat && i.IsEnabled);
        if (inbox is not null)
        {
            if (!Guid.TryParse(inbox, out var requested))
            {
                return Results.Text("The inbox parameter must be an inbox id (a GUID), e.g. /widget-demo?inbox=00000000-0000-0000-0000-000000000000.", "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
            }

            var id = new InboxId(requested);
            webChat = webChat.Where(i => i.Id == id);
        }

        var found = await webChat
            .OrderBy(i => i.Name)
            .Select(i => new { i.Id, i.Name })
            .FirstOrDefaultAsync(ct);
        if (found is null)
        {
            var why = inbox is null
                ? "No enabled web chat inbox exists yet: create one (channel: web chat) and reload this page."
                : "That inbox does not exist, is not a web chat inbox, or is disabled.";
            return Results.Text($"Widget demo unavailable. {why}", "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
        }

        var request = http.Request;
        var scriptPath = $"{request.PathBase}/widget.js";
        var scriptUrl = $"{request.Scheme}://{request.Host}{request.PathBase}/widget.js";
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "no-store";
        return Results.Content(DemoPage(found.Id.Value, found.Name, scriptPath, scriptUrl), "text/html; charset=utf-8");
    }

    internal static string DemoPage(Guid inboxId, string inboxName, string scriptPath, string scriptUrl)
    {
        var e = HtmlEncoder.Default;
        var inbox = e.Encode(inboxId.ToString("D"));
        var name = e.Encode(inboxName);
        var src = e.Encode(scriptPath);
        var snippet = e.Encode($"<script src=\"{scriptUrl}\" data-inbox=\"{inboxId:D}\" async></script>");
        return $$"""
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Acme Outfitters — gear for every trail</title>
<meta name="description" content="Acme Outfitters: a demo shop embedding the ContactCenter chat widget.">
<style>
  :root { --ink: #1f2937; --muted: #6b7280; --brand: #0f766e; --brand-dark: #115e59; --sand: #f6f1e9; --line: #e7e1d6; }
  * { box-sizing: border-box; }
  body { margin: 0; font-family: Georgia, "Times New Roman", serif; color: var(--ink); background: #fffdf9; line-height: 1.55; }
  a { color: inherit; }
  .wrap { max-width: 1120px; margin: 0 auto; padding: 0 24px; }
  .top { background: var(--ink); color: #f9fafb; font: 13px/1 system-ui, sans-serif; text-align: center; padding: 9px 12px; }
  header.nav { border-bottom: 1px solid var(--line); background: #fffdf9; }
  header.nav .wrap { display: flex; align-items: center; justify-content: space-between; height: 72px; }
  .logo { display: flex; align-items: center; gap: 10px; font-weight: 700; font-size: 22px; letter-spacing: .3px; text-decoration: none; }
  .logo svg { width: 34px; height: 34px; }
  nav ul { display: flex; gap: 28px; list-style: none; margin: 0; padding: 0; font: 15px system-ui, sans-serif; }
  nav a { text-decoration: none; color: var(--muted); }
  nav a:hover { color: var(--ink); }
  .hero { background: linear-gradient(120deg, #134e4a 0%, #0f766e 45%, #d97706 130%); color: #fff; }
  .hero .wrap { display: grid; grid-template-columns: 1.1fr .9fr; gap: 40px; align-items: center; padding-top: 72px; padding-bottom: 72px; }
  .eyebrow { font: 600 13px system-ui, sans-serif; letter-spacing: .14em; text-transform: uppercase; opacity: .85; }
  .hero h1 { font-size: clamp(34px, 5vw, 56px); line-height: 1.05; margin: 12px 0 18px; }
  .hero p { font-size: 19px; max-width: 36ch; opacity: .92; margin: 0 0 28px; }
  .actions { display: flex; gap: 14px; flex-wrap: wrap; font-family: system-ui, sans-serif; }
  .btn { display: inline-block; padding: 13px 22px; border-radius: 999px; font-weight: 600; text-decoration: none; }
  .btn.primary { background: #fff; color: var(--brand-dark); border: 2px solid #fff; }
  .btn.ghost { border: 2px solid rgba(255,255,255,.7); color: #fff; }
  .btn:focus-visible, nav a:focus-visible, .card a:focus-visible { outline: 3px solid #fbbf24; outline-offset: 3px; }
  .scene { width: 100%; height: auto; filter: drop-shadow(0 20px 30px rgba(0,0,0,.25)); }
  .perks { background: var(--sand); border-bottom: 1px solid var(--line); font: 15px system-ui, sans-serif; }
  .perks .wrap { display: grid; grid-template-columns: repeat(3, 1fr); gap: 16px; padding: 22px 24px; }
  .perks strong { display: block; color: var(--ink); }
  .perks span { color: var(--muted); font-size: 14px; }
  section.products { padding: 64px 0 72px; }
  .section-head { display: flex; align-items: end; justify-content: space-between; gap: 16px; margin-bottom: 28px; }
  .section-head h2 { font-size: 34px; margin: 0; }
  .section-head p { margin: 0; color: var(--muted); font: 15px system-ui, sans-serif; }
  .grid { display: grid; grid-template-columns: repeat(4, 1fr); gap: 22px; }
  .card { background: #fff; border: 1px solid var(--line); border-radius: 18px; overflow: hidden; display: flex; flex-direction: column; transition: transform .15s ease, box-shadow .15s ease; }
  .card:hover { transform: translateY(-3px); box-shadow: 0 14px 30px rgba(31,41,55,.12); }
  .card .art { aspect-ratio: 4 / 3; display: flex; align-items: center; justify-content: center; }
  .card .art svg { width: 56%; height: auto; }
  .card .body { padding: 16px 18px 18px; display: flex; flex-direction: column; gap: 6px; flex: 1; font-family: system-ui, sans-serif; }
  .card h3 { font: 700 17px Georgia, serif; margin: 0; }
  .card .meta { color: var(--muted); font-size: 14px; margin: 0; }
  .card .row { display: flex; align-items: center; justify-content: space-between; margin-top: auto; padding-top: 10px; }
  .price { font-weight: 700; font-size: 18px; }
  .tag { font-size: 12px; font-weight: 600; color: var(--brand-dark); background: #ccfbf1; border-radius: 999px; padding: 3px 9px; }
  .ask { font-size: 14px; color: var(--brand); font-weight: 600; }
  .story { background: var(--sand); border-top: 1px solid var(--line); border-bottom: 1px solid var(--line); }
  .story .wrap { display: grid; grid-template-columns: 1fr 1fr; gap: 48px; padding: 56px 24px; align-items: center; }
  .story h2 { font-size: 30px; margin: 0 0 12px; }
  .story p { color: #4b5563; margin: 0 0 12px; }
  .embed { font-family: system-ui, sans-serif; background: #111827; color: #e5e7eb; border-radius: 16px; padding: 20px 22px; }
  .embed h3 { margin: 0 0 6px; font-size: 15px; color: #fff; }
  .embed p { margin: 0 0 12px; font-size: 13px; color: #9ca3af; }
  .embed code { display: block; font: 13px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; color: #a7f3d0; white-space: pre-wrap; word-break: break-all; }
  footer { padding: 28px 0 100px; color: var(--muted); font: 14px system-ui, sans-serif; }
  footer .wrap { display: flex; justify-content: space-between; gap: 16px; flex-wrap: wrap; }
  @media (max-width: 900px) {
    .hero .wrap, .story .wrap { grid-template-columns: 1fr; }
    .scene { max-width: 420px; }
    .grid { grid-template-columns: repeat(2, 1fr); }
    nav ul { display: none; }
  }
  @media (max-width: 560px) {
    .grid, .perks .wrap { grid-template-columns: 1fr; }
    .hero .wrap { padding-top: 44px; padding-bottom: 44px; }
  }
</style>
</head>
<body>
<div class="top">Free shipping over $75 · 60-day returns · Questions? Our team is on live chat.</div>
<header class="nav">
  <div class="wrap">
    <a class="logo" href="#top" aria-label="Acme Outfitters home">
      <svg viewBox="0 0 40 40" aria-hidden="true"><circle cx="20" cy="20" r="19" fill="#0f766e"/><path d="M7 29 16 14l5 8 4-5 8 12Z" fill="#fff"/><circle cx="28" cy="12" r="3" fill="#fbbf24"/></svg>
      Acme Outfitters
    </a>
    <nav aria-label="Main">
      <ul>
        <li><a href="#products">Shop</a></li>
        <li><a href="#story">Our story</a></li>
        <li><a href="#cc-open">Help</a></li>
      </ul>
    </nav>
  </div>
</header>
<main id="top">
  <section class="hero">
    <div class="wrap">
      <div>
        <div class="eyebrow">Autumn collection</div>
        <h1>Gear up for every trail.</h1>
        <p>Packs, shells and boots built to outlast the weather — and real people to help you pick the right fit.</p>
        <div class="actions">
          <a class="btn primary" href="#products">Shop the collection</a>
          <a class="btn ghost" href="#cc-open">Chat with an expert</a>
        </div>
      </div>
      <svg class="scene" viewBox="0 0 420 300" role="img" aria-label="Mountains at sunset behind a tent">
        <circle cx="310" cy="90" r="46" fill="#fbbf24"/>
        <path d="M0 260 120 90l70 100 50-60 180 130v40H0Z" fill="#134e4a"/>
        <path d="M120 90 150 133l-20-6-18 12-14-8Z" fill="#f0fdfa"/>
        <path d="M0 300v-40l90-60 80 50 90-70 160 120Z" fill="#0b3b38"/>
        <path d="M160 300 230 205l70 95Z" fill="#d97706"/>
        <path d="M230 205 250 300h-40Z" fill="#92400e"/>
      </svg>
    </div>
  </section>
  <div class="perks">
    <div class="wrap">
      <div><strong>Free shipping</strong><span>On every order over $75</span></div>
      <div><strong>60-day returns</strong><span>Worn it on the trail? Still fine.</span></div>
      <div><strong>Live help</strong><span>Gear experts on chat, 7 days a week</span></div>
    </div>
  </div>
  <section class="products" id="products" aria-labelledby="products-title">
    <div class="wrap">
      <div class="section-head">
        <h2 id="products-title">Best sellers</h2>
        <p>Not sure about sizing? Ask us in the chat.</p>
      </div>
      <div class="grid">
        <article class="card">
          <div class="art" style="background:#ccfbf1"><svg viewBox="0 0 100 100" aria-hidden="true"><rect x="24" y="22" width="52" height="66" rx="14" fill="#0f766e"/><rect x="32" y="50" width="36" height="26" rx="6" fill="#115e59"/><path d="M36 22c0-12 28-12 28 0" stroke="#134e4a" stroke-width="6" fill="none"/><rect x="44" y="58" width="12" height="4" rx="2" fill="#fbbf24"/></svg></div>
          <div class="body"><h3>Ridgeline 32L Pack</h3><p class="meta">Waterproof daypack, 1.1 kg</p><div class="row"><span class="price">$129</span><span class="tag">Best seller</span></div><a class="ask" href="#cc-open">Ask about this →</a></div>
        </article>
        <article class="card">
          <div class="art" style="background:#fde68a"><svg viewBox="0 0 100 100" aria-hidden="true"><path d="M30 20h40l14 16-10 8v44H26V44l-10-8Z" fill="#d97706"/><path d="M50 20v68" stroke="#92400e" stroke-width="3"/><path d="M40 20c2 8 18 8 20 0" fill="#92400e"/></svg></div>
          <div class="body"><h3>Stormbreak Shell Jacket</h3><p class="meta">3-layer, fully taped seams</p><div class="row"><span class="price">$249</span><span class="tag">New</span></div><a class="ask" href="#cc-open">Ask about this →</a></div>
        </article>
        <article class="card">
          <div class="art" style="background:#e7e5e4"><svg viewBox="0 0 100 100" aria-hidden="true"><path d="M22 30h26v30l30 8c6 2 8 8 8 14H22Z" fill="#57534e"/><path d="M22 82h64v6H22Z" fill="#1c1917"/><path d="M30 38h12M30 46h12M30 54h12" stroke="#fbbf24" stroke-width="3"/></svg></div>
          <div class="body"><h3>Summit Trail Boots</h3><p class="meta">Leather, Vibram soles</p><div class="row"><span class="price">$189</span><span class="tag">Wide fit</span></div><a class="ask" href="#cc-open">Ask about this →</a></div>
        </article>
        <article class="card">
          <div class="art" style="background:#dbeafe"><svg viewBox="0 0 100 100" aria-hidden="true"><path d="M50 18 12 82h76Z" fill="#1d4ed8"/><path d="M50 18 40 82h20Z" fill="#1e3a8a"/><path d="M6 82h88" stroke="#1c1917" stroke-width="4"/></svg></div>
          <div class="body"><h3>Basecamp 2P Tent</h3><p class="meta">Freestanding, 1.9 kg</p><div class="row"><span class="price">$319</span><span class="tag">Top rated</span></div><a class="ask" href="#cc-open">Ask about this →</a></div>
        </article>
      </div>
    </div>
  </section>
  <section class="story" id="story" aria-labelledby="story-title">
    <div class="wrap">
      <div>
        <h2 id="story-title">Outfitting adventures since 1987</h2>
        <p>We test everything we sell on the trails behind our shop. If something doesn't work for you, tell us — a real person answers.</p>
        <p>This page is a demo: the chat button in the corner is the ContactCenter widget, talking to the inbox <strong>{{name}}</strong>. Messages you send show up in the agent console.</p>
      </div>
      <div class="embed">
        <h3>Put the widget on your own site</h3>
        <p>One line before &lt;/body&gt;:</p>
        <code>{{snippet}}</code>
      </div>
    </div>
  </section>
</main>
<footer>
  <div class="wrap">
    <span>© Acme Outfitters (a fictitious shop)</span>
    <span>Chat by ContactCenter</span>
  </div>
</footer>
<script src="{{src}}" data-inbox="{{inbox}}" data-title="Acme Outfitters" data-color="#0f766e" async></script>
</body>
</html>
""";
    }
}
