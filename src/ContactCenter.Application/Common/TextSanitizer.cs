using Ganss.Xss;

namespace ContactCenter.Application.Common;

/// <summary>Makes HTML from outside (emails, rich messages) safe to render in the console: scripts, handlers and unsafe URLs removed.</summary>
public interface IHtmlCleaner
{
    string Clean(string html);
}

public sealed class HtmlCleaner : IHtmlCleaner
{
    private readonly HtmlSanitizer _sanitizer;

    public HtmlCleaner()
    {
        _sanitizer = new HtmlSanitizer();
        _sanitizer.AllowedSchemes.Add("mailto");
        _sanitizer.AllowedSchemes.Add("cid");
        _sanitizer.AllowedAttributes.Remove("style");
    }

    public string Clean(string html) => _sanitizer.Sanitize(html ?? "");
}
