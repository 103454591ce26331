using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Application.Assist;

public static class AssistServices
{
    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.Configure<AssistOptions>(configuration.GetSection(AssistOptions.Section));
        services.AddScoped<CustomerEmotionStep>();
        services.AddScoped<KnowledgeAnswerer>();
        services.AddScoped<ConversationSummarizer>();
        services.AddScoped<AfterHoursAssistant>();
        services.AddScoped<AgentAssistService>();
        services.AddScoped<Events.IDomainEventHandler<Domain.Conversations.MessageAdded>>(sp => sp.GetRequiredService<AfterHoursAssistant>());
    }
}

/// <summary>Pushed to supervisors when an upset customer is escalated.</summary>
public sealed record EscalationAlertDto(
    Guid ConversationId,
    long Number,
    string Subject,
    string ContactName,
    Guid? TeamId,
    Guid? AssigneeId,
    int Level,
    Domain.Conversations.Priority Priority,
    string Reason,
    DateTimeOffset OccurredAt);
