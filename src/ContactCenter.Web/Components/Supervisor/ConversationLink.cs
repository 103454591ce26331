namespace ContactCenter.Web.Components.Supervisor;

/// <summary>The console URL that opens one conversation (supervisors may open any team's).</summary>
public static class ConversationLink
{
    public static string For(Guid conversationId) => $"/console?conversation={conversationId:D}";
}
