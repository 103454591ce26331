using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using ContactCenter.Application.Feedback;
using Microsoft.AspNetCore.Mvc;

namespace ContactCenter.Web.Endpoints;

/// <summary>
/// The anonymous CSAT rating page of the survey link (`/csat/{token}`): a small server-rendered form (en, zh-CN by `lang`
/// or Accept-Language), 1–5 and a comment. The signed, time-limited token is the only credential (no cookie, so no
/// cross-site request to forge: the antiforgery check is off). A second submission is refused: the first rating stands.
/// </summary>
public static class CsatSurveyEndpoints
{
    // Chinese text stays readable in the page source (still HTML-escaped).
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    public static IEndpointRouteBuilder MapCsatSurveyEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/csat/{token}", async (string token, string? lang, HttpContext http, CsatSurveyRatings ratings, CancellationToken ct) =>
        {
            var texts = Texts(lang, http);
            var shown = await ratings.ShowAsync(token, ct);
            if (!shown.IsSuccess)
            {
                return Page(texts, StatusCodes.Status404NotFound, Paragraph(texts.Invalid));
            }

            if (shown.Value!.Score is { } score)
            {
                return Page(texts, StatusCodes.Status200OK, Paragraph(string.Format(CultureInfo.InvariantCulture, texts.AlreadyRated, score)));
            }

            if (!shown.Value.Ended)
            {
                return Page(texts, StatusCodes.Status409Conflict, Paragraph(texts.NotEnded));
            }

            return Page(texts, StatusCodes.Status200OK, Form(texts, token, shown.Value.Number));
        }).AllowAnonymous().ExcludeFromDescription();

        app.MapPost("/csat/{token}", async (string token, string? lang, [FromForm] int score, [FromForm] string? comment, HttpContext http,
            CsatSurveyRatings ratings, CancellationToken ct) =>
        {
            var texts = Texts(lang, http);
            var rated = await ratings.RateAsync(token, score, comment, ct);
            if (rated.IsSuccess)
            {
                return Page(texts, StatusCodes.Status200OK, Paragraph(texts.Thanks));
            }

            var error = rated.Error!;
            if (error.Code == "conflict.csat.already_rated")
            {
                var shown = await ratings.ShowAsync(token, ct);
                var stored = shown.IsSuccess ? shown.Value!.Score ?? 0 : 0;
                return Page(texts, StatusCodes.Status409Conflict, Paragraph(string.Format(CultureInfo.InvariantCulture, texts.AlreadyRated, stored)));
            }

            return error.Code switch
            {
                "validation.csat.token" or "not_found" => Page(texts, StatusCodes.Status404NotFound, Paragraph(texts.Invalid)),
                "conflict.csat.not_ended" => Page(texts, StatusCodes.Status409Conflict, Paragraph(texts.NotEnded)),
                _ => Page(texts, StatusCodes.Status400BadRequest, Paragraph(error.Message)),
            };
        }).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        return app;
    }

    private static CsatSurveyTexts Texts(string? lang, HttpContext http) =>
        CsatSurveyTexts.For(lang ?? http.Request.Headers.AcceptLanguage.ToString());

    private static string Paragraph(string text) => $"<p>{Html.Encode(text)}</p>";

    private static string Form(CsatSurveyTexts texts, string token, long number)
    {
        var html = new StringBuilder();
        html.Append("<p>").Append(Html.Encode(string.Format(CultureInfo.InvariantCulture, texts.Intro, number))).Append("</p>");
        html.Append("<form method=\"post\" action=\"/csat/").Append(UrlEncoder.Default.Encode(token)).Append("?lang=").Append(texts.Lang).Append("\">");
        html.Append("<fieldset><legend>").Append(Html.Encode(texts.ScoreLabel)).Append("</legend>");
        for (var s = 1; s <= 5; s++)
        {
            html.Append(CultureInfo.InvariantCulture, $"<label><input type=\"radio\" name=\"score\" value=\"{s}\" required> {s}</label> ");
        }

        html.Append("</fieldset><p><label>").Append(Html.Encode(texts.CommentLabel))
            .Append("<br><textarea name=\"comment\" maxlength=\"1000\" rows=\"4\" cols=\"40\"></textarea></label></p>");
        html.Append("<button type=\"submit\">").Append(Html.Encode(texts.Submit)).Append("</button></form>");
        return html.ToString();
    }

    private static IResult Page(CsatSurveyTexts texts, int status, string body) => Results.Content(
        $"<!DOCTYPE html><html lang=\"{texts.Lang}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>{Html.Encode(texts.Title)}</title>" +
        "<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem}label{margin-right:.75rem}</style></head>" +
        $"<body><h1>{Html.Encode(texts.Title)}</h1>{body}</body></html>",
        "text/html; charset=utf-8", Encoding.UTF8, status);
}
