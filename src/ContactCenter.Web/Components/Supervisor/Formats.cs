using System.Globalization;
using ContactCenter.Domain.Supervision;
using ContactCenter.Web.Components.Console;
using MudBlazor;

namespace ContactCenter.Web.Components.Supervisor;

/// <summary>How the supervisor's widgets write durations, service levels and states.</summary>
public static class Formats
{
    /// <summary>A wait or a target: "45s", "12m", "1h", "2.5h".</summary>
    public static string Duration(double seconds) =>
        seconds < 60 ? string.Create(CultureInfo.InvariantCulture, $"{seconds:0}s")
        : seconds < 3600 ? string.Create(CultureInfo.InvariantCulture, $"{seconds / 60:0}m")
        : string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600:0.#}h");

    /// <summary>"82% in 20s (goal 80%)", or "– in 20s (goal 80%)" when nothing was counted yet.</summary>
    public static string ServiceLevel(ServiceLevelFigure figure)
    {
        ArgumentNullException.ThrowIfNull(figure);
        var percent = figure.Percent is { } p ? Math.Floor(p).ToString("0", CultureInfo.InvariantCulture) + "%" : "–";
        return string.Format(CultureInfo.CurrentCulture, Ui.T("{0} in {1} (goal {2}%)"), percent, Duration(figure.TargetSeconds), figure.GoalPercent);
    }

    /// <summary>"met", "below" (under the goal) or "none" (nothing counted yet): a test and CSS hook.</summary>
    public static string ServiceLevelState(ServiceLevelFigure figure)
    {
        ArgumentNullException.ThrowIfNull(figure);
        return figure.Percent is null ? "none" : figure.BelowGoal ? "below" : "met";
    }

    public static Color ServiceLevelColor(ServiceLevelFigure figure)
    {
        ArgumentNullException.ThrowIfNull(figure);
        return figure.Percent is null ? Color.Default : figure.BelowGoal ? Color.Error : Color.Success;
    }

    public static Color PresenceColor(Domain.Agents.Presence presence) => presence switch
    {
        Domain.Agents.Presence.Online => Color.Success,
        Domain.Agents.Presence.Away => Color.Warning,
        _ => Color.Default,
    };
}
