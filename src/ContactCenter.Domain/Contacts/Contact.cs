using ContactCenter.Domain.Common;

namespace ContactCenter.Domain.Contacts;

public enum IdentityKind
{
    Email = 0,
    Phone = 1,
    WhatsApp = 2,
    Messenger = 3,
    Telegram = 4,
    WeChat = 5,
    WidgetVisitor = 6,
    External = 7,
}

/// <summary>One way to reach a person: an email address, a phone number, a WhatsApp id, a widget visitor id…</summary>
public sealed record ContactIdentity(IdentityKind Kind, string Value)
{
    /// <summary>Values are compared in a canonical form (emails lower-case, phone numbers digits with a leading +).</summary>
    public static ContactIdentity Create(IdentityKind kind, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        return new ContactIdentity(kind, Normalize(kind, value));
    }

    public static string Normalize(IdentityKind kind, string value)
    {
        var trimmed = value.Trim();
        return kind switch
        {
            IdentityKind.Email => trimmed.ToLowerInvariant(),
            IdentityKind.Phone or IdentityKind.WhatsApp => NormalizePhone(trimmed),
            _ => trimmed,
        };
    }

    private static string NormalizePhone(string value)
    {
        var digits = new string(value.Where(char.IsAsciiDigit).ToArray());
        return digits.Length == 0 ? value : "+" + digits;
    }
}

/// <summary>A customer, known by one or more identities across channels.</summary>
public sealed class Contact : AggregateRoot
{
    private readonly List<ContactIdentity> _identities = [];
    private IReadOnlyDictionary<string, string> _attributes = new Dictionary<string, string>(StringComparer.Ordinal);

    private Contact() { }

    public ContactId Id { get; private set; }
    public string Name { get; private set; } = "";
    public string? Email { get; private set; }
    public string? Phone { get; private set; }
    public string? Locale { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Set when this contact was merged into another; the survivor holds its identities.</summary>
    public ContactId? MergedIntoId { get; private set; }

    public IReadOnlyList<ContactIdentity> Identities => _identities;
    public IReadOnlyDictionary<string, string> Attributes => _attributes;

    public static Contact Create(string? name, ContactIdentity identity, DateTimeOffset now)
    {
        var contact = new Contact
        {
            Id = ContactId.New(),
            CreatedAt = now,
            UpdatedAt = now,
        };
        contact.AddIdentity(identity, now);
        contact.Name = string.IsNullOrWhiteSpace(name) ? DefaultName(identity) : name.Trim();
        return contact;
    }

    private static string DefaultName(ContactIdentity identity) => identity.Kind switch
    {
        IdentityKind.Email => identity.Value.Split('@')[0],
        IdentityKind.WidgetVisitor => "Visitor " + identity.Value[..Math.Min(6, identity.Value.Length)],
        _ => identity.Value,
    };

    public bool HasIdentity(ContactIdentity identity) => _identities.Contains(identity);

    public void AddIdentity(ContactIdentity identity, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (_identities.Contains(identity))
        {
            return;
        }

        _identities.Add(identity);
        if (identity.Kind == IdentityKind.Email)
        {
            Email ??= identity.Value;
        }
        else if (identity.Kind is IdentityKind.Phone or IdentityKind.WhatsApp)
        {
            Phone ??= identity.Value;
        }

        UpdatedAt = now;
    }

    public Result Rename(string name, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return Error.Validation("contact.name", "A contact needs a name.");
        }

        Name = name.Trim();
        UpdatedAt = now;
        return Result.Success();
    }

    public void SetLocale(string? locale, DateTimeOffset now)
    {
        Locale = string.IsNullOrWhiteSpace(locale) ? null : locale.Trim();
        UpdatedAt = now;
    }

    public Result SetAttribute(string key, string? value, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(key) || key.Length > 64)
        {
            return Error.Validation("contact.attribute", "Attribute names are 1 to 64 characters.");
        }

        var copy = new Dictionary<string, string>(_attributes, StringComparer.Ordinal);
        if (value is null)
        {
            copy.Remove(key);
        }
        else
        {
            copy[key] = value;
        }

        _attributes = copy;
        UpdatedAt = now;
        return Result.Success();
    }

    /// <summary>Privacy erasure: name, email, phone, locale, attributes and every identity go; the id stays so history keeps its shape.</summary>
    public void Erase(string placeholder, DateTimeOffset now)
    {
        Name = placeholder;
        Email = null;
        Phone = null;
        Locale = null;
        _identities.Clear();
        _attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        UpdatedAt = now;
    }

    /// <summary>Takes over another contact's identities and attributes (this contact's own values win).</summary>
    public Result Absorb(Contact other, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Id == Id)
        {
            return Error.Validation("contact.merge_self", "A contact cannot be merged into itself.");
        }

        if (other.MergedIntoId is not null || MergedIntoId is not null)
        {
            return Error.Conflict("contact.merged", "One of the contacts was already merged.");
        }

        foreach (var identity in other._identities)
        {
            AddIdentity(identity, now);
        }

        var copy = new Dictionary<string, string>(_attributes, StringComparer.Ordinal);
        foreach (var (key, value) in other._attributes)
        {
            copy.TryAdd(key, value);
        }

        _attributes = copy;
        other._identities.Clear();
        other.MergedIntoId = Id;
        other.UpdatedAt = now;
        UpdatedAt = now;
        return Result.Success();
    }
}
