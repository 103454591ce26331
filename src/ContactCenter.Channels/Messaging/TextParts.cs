namespace ContactCenter.Channels.Messaging;

/// <summary>Splits a long reply into parts a channel accepts, preferring line and word boundaries.</summary>
public static class TextParts
{
    public static IReadOnlyList<string> Split(string text, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 2);
        var rest = text ?? "";
        var parts = new List<string>();
        while (rest.Length > maxLength)
        {
            var cut = rest.LastIndexOf('\n', maxLength - 1, maxLength / 2);
            if (cut <= 0)
            {
                cut = rest.LastIndexOf(' ', maxLength - 1, maxLength / 2);
            }

            if (cut <= 0)
            {
                cut = char.IsHighSurrogate(rest[maxLength - 1]) ? maxLength - 1 : maxLength;
            }

            parts.Add(rest[..cut].TrimEnd());
            rest = rest[cut..].TrimStart();
        }

        if (rest.Length > 0 || parts.Count == 0)
        {
            parts.Add(rest);
        }

        return parts;
    }
}
