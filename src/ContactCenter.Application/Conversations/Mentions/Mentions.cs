using ContactCenter.Application.Conversations.Update;

namespace ContactCenter.Application.Conversations.Mentions;

/// <summary>A colleague was @mentioned in a private note: pushed live to them.</summary>
public sealed record MentionDto(Guid ConversationId, long Number, string ByAgentName, string Text, DateTimeOffset At);

/// <summary>
/// Mentions are written "@Display Name" (the composer's autocomplete inserts the full name). A note mentions every
/// active colleague whose token appears in it, longest names first so "@Ann Lee" does not also count as "@Ann".
/// </summary>
public static class MentionParser
{
    public static IReadOnlyList<DirectoryAgentDto> Find(string? text, IEnumerable<DirectoryAgentDto> agents, Guid? exceptAgentId = null)
    {
        ArgumentNullException.ThrowIfNull(agents);
        if (string.IsNullOrEmpty(text) || !text.Contains('@', StringComparison.Ordinal))
        {
            return [];
        }

        var remaining = text;
        var found = new List<DirectoryAgentDto>();
        foreach (var agent in agents.Where(a => !string.IsNullOrWhiteSpace(a.DisplayName)).OrderByDescending(a => a.DisplayName.Length))
        {
            var token = Queries.ConversationQueries.MentionToken(agent.DisplayName);
            if (remaining.Contains(token, StringComparison.OrdinalIgnoreCase))
            {
                remaining = remaining.Replace(token, " ", StringComparison.OrdinalIgnoreCase);
                if (agent.Id != exceptAgentId)
                {
                    found.Add(agent);
                }
            }
        }

        return found;
    }
}
