using ContactCenter.Domain.Common;
using ContactCenter.Domain.Replies;

namespace ContactCenter.Domain.Tests.Replies;

public sealed class CannedResponseTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("/Refund-Time", "refund-time")]
    [InlineData("  hi ", "hi")]
    [InlineData("a_b-1", "a_b-1")]
    public void Create_Shortcut_NormalisedToLowerCaseWithoutSlash(string typed, string stored)
    {
        var created = CannedResponse.Create(typed, " Title ", " Text ", null, Now);

        Assert.True(created.IsSuccess);
        Assert.Equal((stored, "Title", "Text"), (created.Value.Shortcut, created.Value.Title, created.Value.Text));
    }

    [Theory]
    [InlineData("", "Title", "Text", "canned.shortcut")]
    [InlineData("two words", "Title", "Text", "canned.shortcut")]
    [InlineData("héllo", "Title", "Text", "canned.shortcut")]
    [InlineData("hi", " ", "Text", "canned.title")]
    [InlineData("hi", "Title", "", "canned.text")]
    public void Create_Invalid_ClearError(string shortcut, string title, string text, string code)
    {
        var created = CannedResponse.Create(shortcut, title, text, null, Now);

        Assert.False(created.IsSuccess);
        Assert.Equal("validation." + code, created.Error!.Code);
    }

    [Fact]
    public void Create_TooLong_Refused()
    {
        Assert.False(CannedResponse.Create(new string('a', CannedResponse.MaxShortcutLength + 1), "T", "x", null, Now).IsSuccess);
        Assert.False(CannedResponse.Create("ok", "T", new string('x', CannedResponse.MaxTextLength + 1), null, Now).IsSuccess);
    }

    [Fact]
    public void Render_Placeholders_FilledIn_UnknownKept()
    {
        var text = "Hi {{contact.first_name}} ({{ contact.name }}), I'm {{agent.name}} about {{conversation.number}}. {{order.id}}";

        var rendered = CannedResponse.Render(text, "Olga Petrova", "Alice", 1042);

        Assert.Equal("Hi Olga (Olga Petrova), I'm Alice about #1042. {{order.id}}", rendered);
    }

    [Fact]
    public void Render_MissingValues_BecomeEmpty()
    {
        Assert.Equal("Hi , ref ", CannedResponse.Render("Hi {{contact.first_name}}, ref {{conversation.number}}", null, null, null));
    }

    [Fact]
    public void Change_TeamScope_Recorded()
    {
        var team = TeamId.New();
        var response = CannedResponse.Create("hi", "Hi", "Hello", null, Now).Value;

        Assert.True(response.Change("hi", "Hi", "Hello again", team, Now.AddMinutes(1)).IsSuccess);

        Assert.Equal((team, "Hello again", Now.AddMinutes(1)), (response.TeamId, response.Text, response.UpdatedAt));
    }
}
