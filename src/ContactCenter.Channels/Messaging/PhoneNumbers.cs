using ContactCenter.Domain.Contacts;
using PhoneNumbers;

namespace ContactCenter.Channels.Messaging;

/// <summary>Phone numbers in E.164 (+4930123456) with libphonenumber, so one phone is one contact on WhatsApp and SMS.</summary>
public static class PhoneNumberFormat
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>
    /// E.164 for a number in international form ("+1 415…", "14155550100" as WhatsApp sends wa_ids) or national form in
    /// <paramref name="defaultRegion"/>; null when it is not a phone number at all.
    /// </summary>
    public static string? ToE164(string? raw, string? defaultRegion = null)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        var value = raw.Trim();
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0 && colon < 12 && !value.StartsWith('+'))
        {
            value = value[(colon + 1)..]; // "whatsapp:+1415…", "tel:+1…"
        }

        if (!value.StartsWith('+') && (defaultRegion is null || value.All(c => char.IsAsciiDigit(c)) && value.Length > 10))
        {
            value = "+" + value;
        }

        try
        {
            var number = Util.Parse(value, defaultRegion?.ToUpperInvariant() ?? "ZZ");
            return Util.Format(number, PhoneNumbers.PhoneNumberFormat.E164);
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    /// <summary>The identity for a phone on a channel (E.164 when parseable, else the domain's digits-only form).</summary>
    public static ContactIdentity Identity(IdentityKind kind, string raw, string? defaultRegion = null) =>
        ContactIdentity.Create(kind, ToE164(raw, defaultRegion) ?? raw);
}
