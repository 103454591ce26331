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

        // No forms in someone else's HTML: a password field posting to the sender's server is phishing inside our console.
        foreach (var tag in new[] { "form", "input", "button", "select", "option", "optgroup", "textarea", "fieldset", "legend", "datalist", "output" })
        {
            _sanitizer.AllowedTags.Remove(tag);
        }

        foreach (var attribute in new[] { "action", "formaction", "method", "enctype" })
        {
            _sanitizer.AllowedAttributes.Remove(attribute);
        }
    }

    public string Clean(string html) => _sanitizer.Sanitize(html ?? "");
}
