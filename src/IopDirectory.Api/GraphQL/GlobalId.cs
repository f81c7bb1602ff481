using System.Buffers.Text;
using System.Text;

namespace IopDirectory.GraphQL;

/// <summary>Opaque Relay ids: base64url of "Type:key". Clients must not parse them.</summary>
public static class GlobalId
{
    public static string Encode(string type, int id) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{type}:{id}"));

    /// <summary>The type name and numeric key, or null when the id is not one of ours.</summary>
    public static (string Type, int Id)? Decode(string? globalId)
    {
        if (string.IsNullOrEmpty(globalId) || globalId.Length > 100) return null;
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(globalId));
            var colon = text.IndexOf(':');
            if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), System.Globalization.NumberStyles.None, null, out var id))
                return null;
            return (text[..colon], id);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>The key of an id that must name the given type; throws a BAD_USER_INPUT error otherwise.</summary>
    public static int DecodeAs(string type, string? globalId, string argument = "id") =>
        Decode(globalId) is { } decoded && decoded.Type == type
            ? decoded.Id
            : throw Errors.BadUserInput($"'{globalId}' is not a valid {type} id.", argument);
}
