using ContactCenter.Domain.Common;

namespace ContactCenter.Domain.Conversations;

public sealed record ConversationCreated(ConversationId ConversationId, InboxId InboxId, TeamId? TeamId, ChannelKind Channel, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed record MessageAdded(ConversationId ConversationId, MessageId MessageId, MessageDirection Direction, bool IsPrivate, DateTimeOffset OccurredAt) : IDomainEvent;

/// <summary>A channel reported a new delivery state (sent, delivered, read, failed with the provider's reason) for an outbound message.</summary>
public sealed record MessageDeliveryChanged(ConversationId ConversationId, MessageId MessageId, DeliveryStatus Status, string? Error, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed record ConversationAssigned(ConversationId ConversationId, AgentId? AgentId, AgentId? PreviousAgentId, TeamId? TeamId, DateTimeOffset OccurredAt) : IDomainEvent;

public sealed record ConversationStatusChanged(ConversationId ConversationId, ConversationStatus From, ConversationStatus To, DateTimeOffset OccurredAt) : IDomainEvent;

/// <summary>The conversation (again) needs an agent: created unassigned, reopened, or released by its agent.</summary>
public sealed record ConversationNeedsAgent(ConversationId ConversationId, TeamId? TeamId, DateTimeOffset OccurredAt) : IDomainEvent;

/// <summary>An agent is offered the conversation and must accept before the offer expires.</summary>
public sealed record ConversationOffered(ConversationId ConversationId, AgentId AgentId, DateTimeOffset ExpiresAt, DateTimeOffset OccurredAt) : IDomainEvent;

/// <summary>A pending offer ended without an assignment (declined, expired, or taken away).</summary>
public sealed record OfferWithdrawn(ConversationId ConversationId, AgentId AgentId, bool Expired, DateTimeOffset OccurredAt) : IDomainEvent;

/// <summary>An SLA warning or breach was recorded (once) for one metric of the conversation.</summary>
public sealed record SlaThresholdReached(ConversationId ConversationId, TeamId? TeamId, Sla.SlaMetric Metric, Sla.SlaEventKind Kind, DateTimeOffset DueAt, DateTimeOffset OccurredAt) : IDomainEvent;

/// <summary>The customer read as upset (or worsening): priority raised and senior agents required, once per level.</summary>
public sealed record ConversationEscalated(ConversationId ConversationId, TeamId? TeamId, int Level, Priority Priority, string Reason, DateTimeOffset OccurredAt) : IDomainEvent;
