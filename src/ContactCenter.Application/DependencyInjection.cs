using ContactCenter.Application.Agents;
using ContactCenter.Application.Common;
using ContactCenter.Application.Conversations.Assign;
using ContactCenter.Application.Conversations.ChangeStatus;
using ContactCenter.Application.Conversations.Ingest;
using ContactCenter.Application.Conversations.Queries;
using ContactCenter.Application.Conversations.Reply;
using ContactCenter.Application.Events;
using ContactCenter.Application.Realtime;
using ContactCenter.Application.Routing;
using ContactCenter.Domain.Agents;
using ContactCenter.Domain.Conversations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace ContactCenter.Application;

public static class DependencyInjection
{
    public static IHostApplicationBuilder AddApplication(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IHtmlCleaner, HtmlCleaner>();
        services.AddScoped<IDomainEventDispatcher, DomainEventDispatcher>();
        services.AddMetrics();
        services.AddSingleton<Diagnostics.ContactCenterMetrics>();

        services.AddScoped<ReceiveInboundMessageHandler>();
        services.AddScoped<Conversations.Create.CreateConversationHandler>();
        services.AddScoped<SendAgentReplyHandler>();
        services.AddScoped<Conversations.Templates.TemplateQueries>();
        services.AddScoped<Replies.CannedResponseService>();
        services.AddScoped<AssignConversationHandler>();
        services.AddScoped<ChangeConversationStatusHandler>();
        services.AddScoped<SetPresenceHandler>();
        services.AddScoped<SupervisorSetPresenceHandler>();
        services.AddScoped<AgentSignatureHandler>();
        services.AddScoped<AgentDirectory>();
        services.AddScoped<ConversationQueries>();
        services.AddScoped<Conversations.Transcript.ConversationTranscripts>();
        services.AddScoped<Contacts.ContactQueries>();
        services.AddScoped<Contacts.EditContactHandler>();
        services.AddScoped<Contacts.MergeContactsHandler>();
        services.AddScoped<Api.DirectoryApiQueries>();
        services.AddScoped<Api.IdempotencyStore>();
        services.AddScoped<Api.IdempotencyScope>();
        services.AddScoped<Supervision.SupervisorQueries>();
        services.AddScoped<Visitors.StartVisitorSessionHandler>();
        services.AddScoped<Conversations.Offers.RespondToOfferHandler>();
        services.AddScoped<Conversations.Transfer.TransferConversationHandler>();
        services.AddScoped<Conversations.Merge.MergeConversationsHandler>();
        services.AddScoped<Conversations.Update.UpdateConversationHandler>();
        services.AddScoped<Conversations.Update.StaffDirectoryQueries>();
        services.AddScoped<Visitors.VisitorQueries>();
        services.AddScoped<Visitors.WidgetConfigQuery>();
        Visitors.VisitorServices.AddVisitorFeatures(services, builder.Configuration);
        Webhooks.WebhookServices.AddWebhooks(services, builder.Configuration);

        services.Configure<RoutingOptions>(builder.Configuration.GetSection("Routing"));
        services.AddSingleton<ConversationRouter>();
        services.AddSingleton<IRoutingTrigger>(sp => sp.GetRequiredService<ConversationRouter>());
        services.AddHostedService(sp => sp.GetRequiredService<ConversationRouter>());

        services.AddScoped<RoutingTriggers>();
        services.AddScoped<IDomainEventHandler<ConversationNeedsAgent>>(sp => sp.GetRequiredService<RoutingTriggers>());
        services.AddScoped<IDomainEventHandler<ConversationStatusChanged>>(sp => sp.GetRequiredService<RoutingTriggers>());
        services.AddScoped<IDomainEventHandler<AgentPresenceChanged>>(sp => sp.GetRequiredService<RoutingTriggers>());

        services.AddScoped<RoutingReactions>();
        services.AddScoped<IDomainEventHandler<AgentPresenceChanged>>(sp => sp.GetRequiredService<RoutingReactions>());
        services.AddScoped<IDomainEventHandler<OfferWithdrawn>>(sp => sp.GetRequiredService<RoutingReactions>());
        services.AddScoped<IDomainEventHandler<ConversationStatusChanged>>(sp => sp.GetRequiredService<RoutingReactions>());

        // Automation rules run after their event commits; macros are applied by agents (see ADR 016).
        services.Configure<Automation.AutomationOptions>(builder.Configuration.GetSection("Automation"));
        services.AddSingleton<Automation.AutomationRuleCache>();
        services.AddScoped<Automation.AutomationActionRunner>();
        services.AddScoped<Automation.AutomationAdministration>();
        services.AddScoped<Automation.ApplyMacroHandler>();
        services.AddScoped<Automation.AutomationEngine>();
        services.AddScoped<IDomainEventHandler<ConversationCreated>>(sp => sp.GetRequiredService<Automation.AutomationEngine>());
        services.AddScoped<IDomainEventHandler<MessageAdded>>(sp => sp.GetRequiredService<Automation.AutomationEngine>());
        services.AddScoped<IDomainEventHandler<ConversationStatusChanged>>(sp => sp.GetRequiredService<Automation.AutomationEngine>());
        services.AddScoped<IDomainEventHandler<SlaThresholdReached>>(sp => sp.GetRequiredService<Automation.AutomationEngine>());
        services.AddScoped<IDomainEventHandler<ConversationAssigned>>(sp => sp.GetRequiredService<Automation.AutomationEngine>());

        // Replies on email and messaging channels leave through the outbox (see OutboxDispatcher).
        services.Configure<Outbound.OutboxOptions>(builder.Configuration.GetSection("Outbox"));
        services.AddSingleton<Outbound.OutboxSignal>();
        services.AddSingleton<IDomainEventHandler<MessageAdded>>(sp => sp.GetRequiredService<Outbound.OutboxSignal>());
        services.AddSingleton<Outbound.OutboxDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<Outbound.OutboxDispatcher>());

        // Realtime pushes run off the request path (see RealtimeQueue).
        services.AddScoped<RealtimePublisher>();
        services.AddSingleton<RealtimeQueue>();
        services.AddHostedService<RealtimeDispatcher>();
        services.AddSingleton<RealtimeEnqueuer>();
        services.AddSingleton<IDomainEventHandler<ConversationOffered>>(sp => sp.GetRequiredService<RealtimeEnqueuer>());
        services.AddSingleton<IDomainEventHandler<OfferWithdrawn>>(sp => sp.GetRequiredService<RealtimeEnqueuer>());
        services.AddSingleton<IDomainEventHandler<MessageAdded>>(sp => sp.GetRequiredService<RealtimeEnqueuer>());
        services.AddSingleton<IDomainEventHandler<MessageDeliveryChanged>>(sp => sp.GetRequiredService<RealtimeEnqueuer>());
        services.AddSingleton<IDomainEventHandler<ConversationCreated>>(sp => sp.GetRequiredService<RealtimeEnqueuer>());
        services.AddSingleton<IDomainEventHandler<ConversationAssigned>>(sp => sp.GetRequiredService<RealtimeEnqueuer>());
        services.AddSingleton<IDomainEventHandler<ConversationStatusChanged>>(sp => sp.GetRequiredService<RealtimeEnqueuer>());
        services.AddSingleton<IDomainEventHandler<AgentPresenceChanged>>(sp => sp.GetRequiredService<RealtimeEnqueuer>());
        services.AddSingleton<IDomainEventHandler<SlaThresholdReached>>(sp => sp.GetRequiredService<RealtimeEnqueuer>());
        services.AddSingleton<IDomainEventHandler<ConversationEscalated>>(sp => sp.GetRequiredService<RealtimeEnqueuer>());
        Assist.AssistServices.Add(services, builder.Configuration);

        Sla.SlaServices.Add(services, builder.Configuration);
        Integrations.IntegrationServices.Add(services, builder.Configuration);
        services.AddScoped<Reports.ReportQueries>();
        services.AddScoped<Reports.DayStatsSource>();
        services.AddScoped<Reports.AgentStatsSource>();
        services.AddScoped<Reports.ConversationExport>();
        services.AddScoped<Reports.ReportRollupService>();
        services.AddScoped<Feedback.CsatSurveySender>();
        services.AddScoped<Feedback.CsatSurveyRatings>();
        services.AddSingleton<Feedback.ICsatSurveyLinks, Feedback.DataProtectionCsatSurveyLinks>();
        services.Configure<Feedback.CsatOptions>(builder.Configuration.GetSection(Feedback.CsatOptions.Section));
        services.Configure<Reports.ReportOptions>(builder.Configuration.GetSection(Reports.ReportOptions.Section));
        services.Configure<Supervision.ServiceLevelOptions>(builder.Configuration.GetSection(Supervision.ServiceLevelOptions.Section));
        return builder;
    }
}
