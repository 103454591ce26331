using System.Globalization;
using ContactCenter.Application.Reports;
using ContactCenter.Web.Components.Console;

namespace ContactCenter.Web.Components.Reports;

/// <summary>How the reports page shows figures, and where each report's CSV download lives.</summary>
public static class ReportFormat
{
    public const string None = "—";

    /// <summary>Minutes as minutes, hours or days (one decimal at most).</summary>
    public static string Duration(double? minutes) => minutes switch
    {
        null => None,
        < 60 => string.Format(CultureInfo.CurrentCulture, "{0:0.#} {1}", minutes, Ui.T("min")),
        < 1440 => string.Format(CultureInfo.CurrentCulture, "{0:0.#} {1}", minutes / 60, Ui.T("h")),
        _ => string.Format(CultureInfo.CurrentCulture, "{0:0.#} {1}", minutes / 1440, Ui.T("d")),
    };

    /// <summary>A share (0-1) as a percentage with one decimal.</summary>
    public static string Percent(double? share) => share is { } s ? (s * 100).ToString("0.#", CultureInfo.CurrentCulture) + " %" : None;

    public static string Number(double? value, string format = "0.##") => value is { } v ? v.ToString(format, CultureInfo.CurrentCulture) : None;

    /// <summary>The CSV download of a report endpoint (`/api/v1/reports/{name}`) for the period and its filters.</summary>
    public static string CsvHref(string name, ReportRange range) => $"/api/v1/reports/{name}?{Query(range)}&format=csv";

    /// <summary>The streamed export of the period's conversations (and filters) with their transcripts.</summary>
    public static string ConversationsHref(ReportRange range) => $"/api/v1/reports/conversations.csv?{Query(range)}";

    private static string Query(ReportRange range)
    {
        ArgumentNullException.ThrowIfNull(range);
        return string.Create(CultureInfo.InvariantCulture, $"from={range.From:yyyy-MM-dd}&to={range.To:yyyy-MM-dd}")
            + (range.Channel is { } channel ? $"&channel={channel}" : "")
            + (range.TeamId is { } team ? string.Create(CultureInfo.InvariantCulture, $"&team={team}") : "");
    }
}
