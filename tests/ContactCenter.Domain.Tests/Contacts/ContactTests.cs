using ContactCenter.Domain.Contacts;
using static ContactCenter.Domain.Tests.TestData;

namespace ContactCenter.Domain.Tests.Contacts;

public class ContactTests
{
    [Theory]
    [InlineData(IdentityKind.Email, "  John.Doe@Example.COM ", "john.doe@example.com")]
    [InlineData(IdentityKind.Phone, "+1 (555) 010-9999", "+15550109999")]
    [InlineData(IdentityKind.Phone, "0049 170 123 45 67", "+00491701234567")]
    [InlineData(IdentityKind.WhatsApp, " 31-6-1234.5678 ", "+31612345678")]
    [InlineData(IdentityKind.Telegram, "  @SomeUser ", "@SomeUser")]
    [InlineData(IdentityKind.WidgetVisitor, " AbC123xyz ", "AbC123xyz")]
    [InlineData(IdentityKind.External, " CRM-42 ", "CRM-42")]
    public void Create_Value_IsNormalisedPerKind(IdentityKind kind, string raw, string expected)
    {
        var identity = ContactIdentity.Create(kind, raw);

        Assert.Equal(kind, identity.Kind);
        Assert.Equal(expected, identity.Value);
    }

    [Fact]
    public void Create_PhoneWithoutDigits_KeepsTrimmedValue()
    {
        Assert.Equal("unknown", ContactIdentity.Create(IdentityKind.Phone, " unknown ").Value);
    }

    [Fact]
    public void Create_SamePersonDifferentSpelling_IdentitiesAreEqual()
    {
        Assert.Equal(ContactIdentity.Create(IdentityKind.Email, "A@B.com"), ContactIdentity.Create(IdentityKind.Email, " a@b.COM"));
        Assert.Equal(ContactIdentity.Create(IdentityKind.Phone, "+44 20 7946 0000"), ContactIdentity.Create(IdentityKind.Phone, "44-20-7946-0000"));
        Assert.NotEqual(ContactIdentity.Create(IdentityKind.Phone, "+15550100"), ContactIdentity.Create(IdentityKind.WhatsApp, "+15550100"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void Create_BlankValue_Throws(string? value)
    {
        Assert.ThrowsAny<ArgumentException>(() => ContactIdentity.Create(IdentityKind.Email, value!));
    }

    [Fact]
    public void ContactCreate_WithName_TrimsNameAndRecordsIdentity()
    {
        var identity = ContactIdentity.Create(IdentityKind.Email, "Carol@Example.com");

        var contact = Contact.Create("  Carol King ", identity, Now);

        Assert.Equal("Carol King", contact.Name);
        Assert.Equal([identity], contact.Identities);
        Assert.Equal("carol@example.com", contact.Email);
        Assert.Null(contact.Phone);
        Assert.Equal(Now, contact.CreatedAt);
        Assert.Equal(Now, contact.UpdatedAt);
        Assert.Null(contact.MergedIntoId);
        Assert.NotEqual(Guid.Empty, contact.Id.Value);
    }

    [Theory]
    [InlineData(IdentityKind.Email, "carol.k@example.com", "carol.k")]
    [InlineData(IdentityKind.WidgetVisitor, "abcdef123456", "Visitor abcdef")]
    [InlineData(IdentityKind.WidgetVisitor, "abc", "Visitor abc")]
    [InlineData(IdentityKind.Phone, "+1 555 0100", "+15550100")]
    [InlineData(IdentityKind.Telegram, "@carol", "@carol")]
    public void ContactCreate_NoName_DerivesNameFromIdentity(IdentityKind kind, string value, string expectedName)
    {
        var contact = Contact.Create("   ", ContactIdentity.Create(kind, value), Now);

        Assert.Equal(expectedName, contact.Name);
    }

    [Theory]
    [InlineData(IdentityKind.Phone)]
    [InlineData(IdentityKind.WhatsApp)]
    public void ContactCreate_PhoneLikeIdentity_SetsPhone(IdentityKind kind)
    {
        var contact = Contact.Create(null, ContactIdentity.Create(kind, "+49 30 1234"), Now);

        Assert.Equal("+49301234", contact.Phone);
        Assert.Null(contact.Email);
    }

    [Fact]
    public void AddIdentity_SameIdentityTwice_IsStoredOnce()
    {
        var contact = Contact.Create("Carol", ContactIdentity.Create(IdentityKind.Email, "carol@example.com"), Now);

        contact.AddIdentity(ContactIdentity.Create(IdentityKind.Email, "CAROL@example.com "), Now.AddMinutes(1));

        Assert.Single(contact.Identities);
        Assert.Equal(Now, contact.UpdatedAt);
    }

    [Fact]
    public void AddIdentity_NewIdentity_IsAddedAndFirstEmailKept()
    {
        var contact = Contact.Create("Carol", ContactIdentity.Create(IdentityKind.Email, "first@example.com"), Now);
        var second = ContactIdentity.Create(IdentityKind.Email, "second@example.com");

        contact.AddIdentity(second, Now.AddMinutes(1));

        Assert.Equal(2, contact.Identities.Count);
        Assert.True(contact.HasIdentity(second));
        Assert.Equal("first@example.com", contact.Email);
        Assert.Equal(Now.AddMinutes(1), contact.UpdatedAt);
    }

    [Fact]
    public void AddIdentity_PhoneToEmailContact_FillsPhone()
    {
        var contact = Contact.Create("Carol", ContactIdentity.Create(IdentityKind.Email, "c@example.com"), Now);

        contact.AddIdentity(ContactIdentity.Create(IdentityKind.WhatsApp, "+1 555 0101"), Now);

        Assert.Equal("+15550101", contact.Phone);
    }

    [Fact]
    public void HasIdentity_SameValueOtherKind_IsFalse()
    {
        var contact = Contact.Create("Carol", ContactIdentity.Create(IdentityKind.Phone, "+15550100"), Now);

        Assert.True(contact.HasIdentity(ContactIdentity.Create(IdentityKind.Phone, "1-555-0100")));
        Assert.False(contact.HasIdentity(ContactIdentity.Create(IdentityKind.WhatsApp, "+15550100")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Rename_Blank_ReturnsNameValidationError(string name)
    {
        var contact = Contact.Create("Carol", ContactIdentity.Create(IdentityKind.Email, "c@example.com"), Now);

        var result = contact.Rename(name, Now.AddMinutes(1));

        Assert.Equal("validation.contact.name", result.Error?.Code);
        Assert.Equal("Carol", contact.Name);
        Assert.Equal(Now, contact.UpdatedAt);
    }

    [Fact]
    public void Rename_Valid_TrimsAndUpdates()
    {
        var contact = Contact.Create("Carol", ContactIdentity.Create(IdentityKind.Email, "c@example.com"), Now);

        contact.Rename("  Caroline ", Now.AddMinutes(1));

        Assert.Equal("Caroline", contact.Name);
        Assert.Equal(Now.AddMinutes(1), contact.UpdatedAt);
    }

    [Theory]
    [InlineData(" zh-CN ", "zh-CN")]
    [InlineData("  ", null)]
    [InlineData(null, null)]
    public void SetLocale_Value_TrimmedOrCleared(string? locale, string? expected)
    {
        var contact = Contact.Create("Carol", ContactIdentity.Create(IdentityKind.Email, "c@example.com"), Now);
        contact.SetLocale("en", Now);

        contact.SetLocale(locale, Now);

        Assert.Equal(expected, contact.Locale);
    }

    [Fact]
    public void SetAttribute_SetAndRemove_UpdatesAttributes()
    {
        var contact = Contact.Create("Carol", ContactIdentity.Create(IdentityKind.Email, "c@example.com"), Now);

        contact.SetAttribute("plan", "gold", Now);
        Assert.Equal("gold", contact.Attributes["plan"]);

        contact.SetAttribute("plan", null, Now);
        Assert.Empty(contact.Attributes);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void SetAttribute_BlankKey_ReturnsAttributeValidationError(string key)
    {
        var contact = Contact.Create("Carol", ContactIdentity.Create(IdentityKind.Email, "c@example.com"), Now);

        Assert.Equal("validation.contact.attribute", contact.SetAttribute(key, "v", Now).Error?.Code);
        Assert.Empty(contact.Attributes);
    }

    [Fact]
    public void SetAttribute_KeyLengthBounds_64AcceptedAnd65Refused()
    {
        var contact = Contact.Create("Carol", ContactIdentity.Create(IdentityKind.Email, "c@example.com"), Now);

        Assert.True(contact.SetAttribute(new string('k', 64), "v", Now).IsSuccess);
        Assert.False(contact.SetAttribute(new string('k', 65), "v", Now).IsSuccess);
        Assert.Single(contact.Attributes);
    }

    [Fact]
    public void Absorb_OtherContact_TakesIdentitiesAndMarksOtherMerged()
    {
        var survivor = Contact.Create("Carol", ContactIdentity.Create(IdentityKind.Email, "carol@example.com"), Now);
        var phone = ContactIdentity.Create(IdentityKind.WhatsApp, "+1 555 0199");
        var visitor = ContactIdentity.Create(IdentityKind.WidgetVisitor, "v-123");
        var other = Contact.Create(null, phone, Now);
        other.AddIdentity(visitor, Now);
        var at = Now.AddHours(1);

        var result = survivor.Absorb(other, at);

        Assert.True(result.IsSuccess);
        Assert.Equal(3, survivor.Identities.Count);
        Assert.True(survivor.HasIdentity(phone));
        Assert.True(survivor.HasIdentity(visitor));
        Assert.Equal("+15550199", survivor.Phone);
        Assert.Equal(survivor.Id, other.MergedIntoId);
        Assert.Empty(other.Identities);
        Assert.Equal(at, other.UpdatedAt);
        Assert.Equal(at, survivor.UpdatedAt);
        Assert.Null(survivor.MergedIntoId);
    }

    [Fact]
    public void Absorb_SharedIdentity_IsNotDuplicated()
    {
        var shared = ContactIdentity.Create(IdentityKind.Email, "carol@example.com");
        var survivor = Contact.Create("Carol", shared, Now);
        var other = Contact.Create("Carol 2", shared, Now);

        survivor.Absorb(other, Now);

        Assert.Equal([shared], survivor.Identities);
    }

    [Fact]
    public void Absorb_Attributes_MergedWithOwnValuesWinning()
    {
        var survivor = Contact.Create("Carol", ContactIdentity.Create(IdentityKind.Email, "carol@example.com"), Now);
        survivor.SetAttribute("plan", "gold", Now);
        var other = Contact.Create("Carol", ContactIdentity.Create(IdentityKind.Phone, "+15550100"), Now);
        other.SetAttribute("plan", "free", Now);
        other.SetAttribute("city", "Berlin", Now);

        survivor.Absorb(other, Now);

        Assert.Equal("gold", survivor.Attributes["plan"]);
        Assert.Equal("Berlin", survivor.Attributes["city"]);
        Assert.Equal(2, survivor.Attributes.Count);
    }

    [Fact]
    public void Absorb_Itself_ReturnsMergeSelfError()
    {
        var contact = Contact.Create("Carol", ContactIdentity.Create(IdentityKind.Email, "carol@example.com"), Now);

        var result = contact.Absorb(contact, Now.AddMinutes(1));

        Assert.Equal("validation.contact.merge_self", result.Error?.Code);
        Assert.Null(contact.MergedIntoId);
        Assert.Single(contact.Identities);
    }

    [Fact]
    public void Absorb_AlreadyMergedOther_ReturnsMergedConflict()
    {
        var first = Contact.Create("A", ContactIdentity.Create(IdentityKind.Email, "a@example.com"), Now);
        var second = Contact.Create("B", ContactIdentity.Create(IdentityKind.Email, "b@example.com"), Now);
        var third = Contact.Create("C", ContactIdentity.Create(IdentityKind.Email, "c@example.com"), Now);
        first.Absorb(second, Now);

        var result = third.Absorb(second, Now);

        Assert.Equal("conflict.contact.merged", result.Error?.Code);
        Assert.Equal(first.Id, second.MergedIntoId);
        Assert.Single(third.Identities);
    }

    [Fact]
    public void Absorb_IntoAlreadyMergedContact_ReturnsMergedConflict()
    {
        var first = Contact.Create("A", ContactIdentity.Create(IdentityKind.Email, "a@example.com"), Now);
        var second = Contact.Create("B", ContactIdentity.Create(IdentityKind.Email, "b@example.com"), Now);
        var third = Contact.Create("C", ContactIdentity.Create(IdentityKind.Email, "c@example.com"), Now);
        first.Absorb(second, Now);

        var result = second.Absorb(third, Now);

        Assert.Equal("conflict.contact.merged", result.Error?.Code);
        Assert.Null(third.MergedIntoId);
        Assert.Single(third.Identities);
    }
}
