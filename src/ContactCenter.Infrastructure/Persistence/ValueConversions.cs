using System.Text.Json;
using ContactCenter.Domain.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ContactCenter.Infrastructure.Persistence;

internal static class ValueConversions
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void AddTypedIds(ModelConfigurationBuilder builder)
    {
        builder.Properties<ConversationId>().HaveConversion<ConversationIdConverter>();
        builder.Properties<MessageId>().HaveConversion<MessageIdConverter>();
        builder.Properties<ContactId>().HaveConversion<ContactIdConverter>();
        builder.Properties<AgentId>().HaveConversion<AgentIdConverter>();
        builder.Properties<TeamId>().HaveConversion<TeamIdConverter>();
        builder.Properties<InboxId>().HaveConversion<InboxIdConverter>();
        builder.Properties<Domain.Sla.SlaPolicyId>().HaveConversion<SlaPolicyIdConverter>();
        builder.Properties<Domain.Sla.BusinessHoursId>().HaveConversion<BusinessHoursIdConverter>();
        builder.Properties<Domain.Automation.AutomationRuleId>().HaveConversion<AutomationRuleIdConverter>();
        builder.Properties<Domain.Automation.MacroId>().HaveConversion<MacroIdConverter>();
    }

    /// <summary>Stores a small value (list, dictionary, records) as one JSON text column, compared by content.</summary>
    public static PropertyBuilder<T> HasJsonConversion<T>(this PropertyBuilder<T> property) where T : class
    {
        var converter = new ValueConverter<T, string>(
            v => JsonSerializer.Serialize(v, Json),
            v => JsonSerializer.Deserialize<T>(v, Json)!);
        var comparer = new ValueComparer<T>(
            (a, b) => JsonSerializer.Serialize(a, Json) == JsonSerializer.Serialize(b, Json),
            v => JsonSerializer.Serialize(v, Json).GetHashCode(StringComparison.Ordinal),
            v => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(v, Json), Json)!);
        property.HasConversion(converter, comparer);
        return property;
    }

    private sealed class ConversationIdConverter() : ValueConverter<ConversationId, Guid>(v => v.Value, v => new ConversationId(v));
    private sealed class MessageIdConverter() : ValueConverter<MessageId, Guid>(v => v.Value, v => new MessageId(v));
    private sealed class ContactIdConverter() : ValueConverter<ContactId, Guid>(v => v.Value, v => new ContactId(v));
    private sealed class AgentIdConverter() : ValueConverter<AgentId, Guid>(v => v.Value, v => new AgentId(v));
    private sealed class TeamIdConverter() : ValueConverter<TeamId, Guid>(v => v.Value, v => new TeamId(v));
    private sealed class InboxIdConverter() : ValueConverter<InboxId, Guid>(v => v.Value, v => new InboxId(v));
    private sealed class SlaPolicyIdConverter() : ValueConverter<Domain.Sla.SlaPolicyId, Guid>(v => v.Value, v => new Domain.Sla.SlaPolicyId(v));
    private sealed class AutomationRuleIdConverter() : ValueConverter<Domain.Automation.AutomationRuleId, Guid>(v => v.Value, v => new Domain.Automation.AutomationRuleId(v));
    private sealed class MacroIdConverter() : ValueConverter<Domain.Automation.MacroId, Guid>(v => v.Value, v => new Domain.Automation.MacroId(v));
    private sealed class BusinessHoursIdConverter() : ValueConverter<Domain.Sla.BusinessHoursId, Guid>(v => v.Value, v => new Domain.Sla.BusinessHoursId(v));
}
