using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Assist;
using ContactCenter.Application.Conversations.Ingest;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Domain.Inboxes;
using ContactCenter.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Application.Tests.Assist;

public sealed class ConversationSummarizerTests
{
    [Fact]
    public async Task SummarizeAsync_CustomerMessages_KeepsTheKeySentences_TheLatestAndTheMood()
    {
        await using var db = await SqliteDatabase.CreateAsync();
        var inbox = Inbox.Create("Chat", ChannelKind.WebChat, null).Value;
        await db.InScopeAsync(async sp =>
        {
            var ctx = sp.GetRequiredService<IApplicationDbContext>();
            ctx.Inboxes.Add(inbox);
            return await ctx.SaveChangesAsync();
        });
        ConversationId id = default;
        var texts = new[]
        {
            "Hello. My router shows a red light since yesterday. The router was restarted twice.",
            "Nice weather today.",
            "The red light on the router is still there and the internet is down, this is getting frustrating.",
        };
        for (var i = 0; i < texts.Length; i++)
        {
            var result = await db.InScopeAsync(sp => sp.GetRequiredService<ReceiveInboundMessageHandler>().HandleAsync(
                new InboundMessage(inbox.Id, ContactIdentity.Create(inbox.Channel.IdentityKind(), "v"), "V", $"s{i}", texts[i]), CancellationToken.None));
            id = result.Value!.ConversationId;
        }

        var summary = await db.InScopeAsync(sp => sp.GetRequiredService<ConversationSummarizer>().SummarizeAsync(id, CancellationToken.None));

        Assert.Contains("red light", summary, StringComparison.Ordinal);
        Assert.Contains("internet is down", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("weather", summary, StringComparison.Ordinal);
        Assert.Contains("Mood: Calm → Frustrated", summary, StringComparison.Ordinal);
        Assert.Contains("3 customer messages", summary, StringComparison.Ordinal);
    }
}
