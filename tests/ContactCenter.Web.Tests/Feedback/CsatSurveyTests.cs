using System.Net;
using System.Text.RegularExpressions;
using ContactCenter.Application.Abstractions;
using ContactCenter.Application.Conversations.Ingest;
using ContactCenter.Application.Feedback;
using ContactCenter.Application.Outbound;
using ContactCenter.Domain.Common;
using ContactCenter.Domain.Contacts;
using ContactCenter.Domain.Conversations;
using ContactCenter.Domain.Inboxes;
using ContactCenter.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ContactCenter.Web.Tests.Feedback;

/// <summary>
/// The CSAT survey of a resolved email conversation over the real app with a fake clock: sent once through the outbox after
/// `Csat:SurveyDelay`, its signed link opens the anonymous rating page, the rating is recorded once; forged and expired
/// links are refused.
/// </summary>
public sealed partial class CsatSurveyTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private ContactCenterHost _host = default!;
    private Inbox _inbox = default!;

    public async Task InitializeAsync()
    {
        _host = new ContactCenterHost(new Dictionary<string, string?>
        {
            ["Csat:SurveyDelay"] = "00:10:00",
            ["Csat:SurveyLifetime"] = "14.00:00:00",
            ["Csat:SurveyInterval"] = "00:00:00", // the test runs the sender itself
            ["Csat:PublicBaseUrl"] = "https://help.example.test",
        }, time: _time);
        var team = await _host.CreateTeamAsync("Support");
        _inbox = await _host.CreateInboxAsync("Mail", ChannelKind.Email, team.Id);
    }

    public Task DisposeAsync()
    {
        _host.Dispose();
        return Task.CompletedTask;
    }

    [GeneratedRegex(@"https://help\.example\.test(/csat/[^\s?]+)")]
    private static partial Regex LinkPattern();

    private async Task<ConversationId> ResolvedConversationAsync(string email)
    {
        var received = await _host.InScopeAsync(sp => sp.GetRequiredService<ReceiveInboundMessageHandler>().HandleAsync(
            new InboundMessage(_inbox.Id, ContactIdentity.Create(IdentityKind.Email, email), email, Guid.NewGuid().ToString("N"), "My parcel is late", Subject: "Parcel"),
            CancellationToken.None)).Within("receive");
        Assert.True(received.IsSuccess, received.Error?.Message);
        var id = received.Value!.ConversationId;
        await _host.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<IApplicationDbContext>();
            var conversation = await db.Conversations.FirstAsync(c => c.Id == id);
            Assert.True(conversation.ChangeStatus(ConversationStatus.Resolved, Actor.System, _time.GetUtcNow()).IsSuccess);
            await db.SaveChangesAsync();
        }).Within("resolve");
        return id;
    }

    private Task<int> SendDueAsync() => _host.InScopeAsync(sp => sp.GetRequiredService<CsatSurveySender>().SendDueAsync(CancellationToken.None)).Within("send surveys");

    private async Task<string> SurveyLinkAsync(ConversationId id)
    {
        var text = await _host.InScopeAsync(sp => sp.GetRequiredService<IApplicationDbContext>().Messages.AsNoTracking()
            .Where(m => m.ConversationId == id && m.AuthorKind == AuthorKind.Bot).Select(m => m.Text).SingleAsync());
        return LinkPattern().Match(text).Groups[1].Value;
    }

    [Fact]
    public async Task SendDue_ResolvedEmailConversation_SendsOneSurveyThroughTheOutboxAfterTheDelay()
    {
        var id = await ResolvedConversationAsync("carla@example.test");

        _time.Advance(TimeSpan.FromMinutes(9));
        await SendDueAsync();
        var before = await _host.InScopeAsync(sp => sp.GetRequiredService<IFeedbackDbContext>().CsatSurveys.CountAsync());
        _time.Advance(TimeSpan.FromMinutes(2));
        var first = await Task.WhenAll(SendDueAsync(), SendDueAsync());
        var again = await SendDueAsync();

        Assert.Equal(0, before);
        Assert.Equal(1, first.Sum());
        Assert.Equal(0, again);
        var survey = Assert.Single(await _host.InScopeAsync(sp => sp.GetRequiredService<IFeedbackDbContext>().CsatSurveys.AsNoTracking().ToListAsync()));
        Assert.Equal(id, survey.ConversationId);
        var outbox = Assert.Single(await _host.InScopeAsync(sp => sp.GetRequiredService<IOutboxDbContext>().Outbox.AsNoTracking().Where(o => o.ConversationId == id).ToListAsync()));
        Assert.Equal(survey.MessageId, outbox.MessageId);
        Assert.StartsWith("/csat/", await SurveyLinkAsync(id), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RatingPage_ValidLink_RecordsTheRatingOnce()
    {
        var id = await ResolvedConversationAsync("dan@example.test");
        _time.Advance(TimeSpan.FromMinutes(11));
        await SendDueAsync();
        var link = await SurveyLinkAsync(id);
        using var client = _host.CreateRealClient();

        using var page = await client.GetAsync(link.TrimStart('/'));
        var html = await page.Content.ReadAsStringAsync();
        using var rated = await client.PostAsync(link.TrimStart('/'), new FormUrlEncodedContent(new Dictionary<string, string> { ["score"] = "4", ["comment"] = "Quick, thanks" }));
        using var second = await client.PostAsync(link.TrimStart('/'), new FormUrlEncodedContent(new Dictionary<string, string> { ["score"] = "1" }));
        var secondHtml = await second.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("name=\"score\"", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, rated.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains("already been rated (4/5)", secondHtml, StringComparison.Ordinal);
        var rating = Assert.Single(await _host.InScopeAsync(sp => sp.GetRequiredService<IFeedbackDbContext>().CsatRatings.AsNoTracking().ToListAsync()));
        Assert.Equal((id, 4, "Quick, thanks"), (rating.ConversationId, rating.Score, rating.Comment));
    }

    [Fact]
    public async Task RatingPage_ForgedOrExpiredLink_IsRefusedAndRecordsNothing()
    {
        var id = await ResolvedConversationAsync("erin@example.test");
        _time.Advance(TimeSpan.FromMinutes(11));
        await SendDueAsync();
        var link = await SurveyLinkAsync(id);
        var tampered = link[..^3] + (link[^3] == 'A' ? "B" : "A") + link[^2..];
        using var client = _host.CreateRealClient();

        using var forged = await client.PostAsync("csat/not-a-token", new FormUrlEncodedContent(new Dictionary<string, string> { ["score"] = "5" }));
        using var damaged = await client.PostAsync(tampered.TrimStart('/'), new FormUrlEncodedContent(new Dictionary<string, string> { ["score"] = "5" }));
        _time.Advance(TimeSpan.FromDays(14));
        using var expiredPage = await client.GetAsync(link.TrimStart('/'));
        using var expired = await client.PostAsync(link.TrimStart('/') + "?lang=zh-CN", new FormUrlEncodedContent(new Dictionary<string, string> { ["score"] = "5" }));

        Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, damaged.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, expiredPage.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, expired.StatusCode);
        Assert.Contains("此评分链接无效或已过期", await expired.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await _host.InScopeAsync(sp => sp.GetRequiredService<IFeedbackDbContext>().CsatRatings.AsNoTracking().ToListAsync()));
    }
}
