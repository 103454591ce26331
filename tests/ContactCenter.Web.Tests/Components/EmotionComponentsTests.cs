using Bunit;
using ContactCenter.Application.Realtime;
using ContactCenter.Domain.Conversations;
using ContactCenter.Web.Components.Console;
using MudBlazor.Services;

namespace ContactCenter.Web.Tests.Components;

public sealed class EmotionComponentsTests : IAsyncLifetime
{
    private readonly BunitContext _context = new();

    public EmotionComponentsTests()
    {
        _context.Services.AddMudServices();
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _context.DisposeAsync();

    private static MessageDto Message(MessageDirection direction, EmotionLabel? emotion, double? score) =>
        new(Guid.NewGuid(), Guid.NewGuid(), direction, direction == MessageDirection.Inbound ? AuthorKind.Contact : AuthorKind.Agent, null, "x", "text", null, false,
            DeliveryStatus.None, null, DateTimeOffset.UtcNow, [], null, emotion, score);

    [Fact]
    public void EmotionBadge_Angry_ShowsTheLabelAndScore()
    {
        var cut = _context.Render<EmotionBadge>(p => p.Add(x => x.Label, EmotionLabel.Angry).Add(x => x.Score, 0.83));
        var badge = cut.Find("[data-testid=emotion]");
        Assert.Equal("Angry", badge.GetAttribute("data-emotion"));
        Assert.Contains("0.83", badge.GetAttribute("title"), StringComparison.Ordinal);
        Assert.Contains("cc-emotion-angry", badge.ClassName, StringComparison.Ordinal);
    }

    [Fact]
    public void EmotionBadge_Unscored_RendersNothing() =>
        Assert.Empty(_context.Render<EmotionBadge>(p => p.Add(x => x.Label, null)).FindAll("[data-testid=emotion]"));

    [Fact]
    public void EmotionTrend_OneBarPerScoredCustomerMessage_AndTheEscalationLevel()
    {
        IReadOnlyList<MessageDto> messages =
        [
            Message(MessageDirection.Inbound, EmotionLabel.Calm, 0),
            Message(MessageDirection.Outbound, null, null),
            Message(MessageDirection.Inbound, EmotionLabel.Frustrated, 0.5),
            Message(MessageDirection.Inbound, EmotionLabel.Angry, 0.9),
        ];
        var cut = _context.Render<EmotionTrend>(p => p.Add(x => x.Messages, messages).Add(x => x.EscalationLevel, 1));
        var bars = cut.FindAll(".cc-emotion-bar");
        Assert.Equal(3, bars.Count);
        Assert.Contains("cc-emotion-angry", bars[^1].ClassName, StringComparison.Ordinal);
        Assert.Contains("Escalated 1", cut.Find("[data-testid=escalated]").TextContent, StringComparison.Ordinal);
    }
}
