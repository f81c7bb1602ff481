using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IopDirectory.Data;
using IopDirectory.GraphQL;
using Microsoft.EntityFrameworkCore;

namespace IopDirectory.Partners;

/// <summary>API keys: high-entropy random strings, of which only a SHA-256 hash is stored.</summary>
public static class ApiKeys
{
    public const string HeaderName = "X-Api-Key";

    /// <summary>The query parameter the embed endpoints also take the key from (a script tag cannot send headers).</summary>
    public const string QueryName = "key";

    public static string NewKey() => "iop_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static string PrefixOf(string key) => key[..Math.Min(key.Length, 12)];
}

public static class PartnerOrigins
{
    /// <summary>The canonical form of a web origin (lower-case scheme and host, port only when not the default), or null.</summary>
    public static string? Normalize(string? origin)
    {
        if (origin is null || !Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
            || uri.AbsolutePath != "/" || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment) || !string.IsNullOrEmpty(uri.UserInfo))
            return null;
        return uri.GetLeftPart(UriPartial.Authority).ToLowerInvariant();
    }
}

/// <summary>How the request's key, if any, was judged.</summary>
public enum KeyStatus
{
    /// <summary>No key was presented: an anonymous (or bearer-token) request.</summary>
    None,

    /// <summary>A valid key, used from one of its origins (or from a server, without an Origin header).</summary>
    Valid,

    /// <summary>The key is unknown or revoked.</summary>
    Invalid,

    /// <summary>A valid key sent by a browser from an origin the partner has not listed.</summary>
    OriginNotAllowed,
}

/// <summary>The partner behind this request (scoped), set by <see cref="PartnerAccess"/> before the endpoint runs.</summary>
public sealed class PartnerRequest
{
    public KeyStatus Status { get; set; }
    public Partner? Partner { get; set; }
    public PartnerKey? Key { get; set; }
}

/// <summary>
/// Reads the partner key of requests to /graphql and /embed/v1 and answers CORS per key: a browser gets
/// <c>Access-Control-Allow-Origin</c> only for the key's own origins. A preflight carries no key (browsers never send
/// custom headers on one), so it is answered for origins some partner lists, and the request that follows is checked
/// against its own key's origins. Requests without an Origin header come from servers, where an origin proves nothing;
/// they are limited by cost like everyone else.
/// </summary>
public static class PartnerAccess
{
    public const string AllowedHeaders = "Content-Type, Accept, X-Api-Key";

    public static IApplicationBuilder UsePartnerKeys(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var path = http.Request.Path;
        var isEmbed = path.StartsWithSegments("/embed/v1");
        if (!isEmbed && !path.StartsWithSegments("/graphql"))
        {
            await next(http);
            return;
        }

        var origin = http.Request.Headers.Origin.ToString();
        var db = http.RequestServices.GetRequiredService<DirectoryDbContext>();
        string? key = http.Request.Headers[ApiKeys.HeaderName].FirstOrDefault();
        if (string.IsNullOrEmpty(key) && isEmbed) key = http.Request.Query[ApiKeys.QueryName].FirstOrDefault();

        if (HttpMethods.IsOptions(http.Request.Method) && http.Request.Headers.ContainsKey("Access-Control-Request-Method"))
        {
            var allowed = origin.Length > 0 && (string.IsNullOrEmpty(key)
                ? await db.Partners.AsNoTracking().AnyAsync(p => p.Origins.Contains(origin), http.RequestAborted)
                : (await FindAsync(db, key, http.RequestAborted))?.Partner.Origins.Contains(origin) == true);
            http.Response.Headers.Vary = "Origin";
            if (allowed)
            {
                http.Response.Headers.AccessControlAllowOrigin = origin;
                http.Response.Headers.AccessControlAllowMethods = "GET, POST";
                http.Response.Headers.AccessControlAllowHeaders = AllowedHeaders;
                http.Response.Headers.AccessControlMaxAge = "600";
            }
            http.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        var request = http.RequestServices.GetRequiredService<PartnerRequest>();
        if (!string.IsNullOrEmpty(key))
        {
            var found = await FindAsync(db, key, http.RequestAborted);
            if (found is null)
                request.Status = KeyStatus.Invalid;
            else if (origin.Length > 0 && !found.Value.Partner.Origins.Contains(origin))
                request.Status = KeyStatus.OriginNotAllowed;
            else
                (request.Status, request.Partner, request.Key) = (KeyStatus.Valid, found.Value.Partner, found.Value.Key);

            if (request.Status == KeyStatus.Valid && origin.Length > 0)
            {
                http.Response.Headers.AccessControlAllowOrigin = origin;
                http.Response.Headers.AccessControlExposeHeaders = "Retry-After";
            }
            http.Response.Headers.Vary = "Origin";
            // The embed pages answer refused keys themselves, politely, in their own format.
            if (!isEmbed && request.Status is KeyStatus.Invalid or KeyStatus.OriginNotAllowed)
            {
                await RefuseAsync(http, request.Status);
                return;
            }
        }
        await next(http);
    });

    public static (int Status, string Code, string Message) Refusal(KeyStatus status) => status == KeyStatus.Invalid
        ? (StatusCodes.Status401Unauthorized, "INVALID_API_KEY", "The API key is unknown or has been revoked.")
        : (StatusCodes.Status403Forbidden, "ORIGIN_NOT_ALLOWED", "This API key is not allowed from this web origin; the partner can add it to the key's origins.");

    private static async Task RefuseAsync(HttpContext http, KeyStatus status)
    {
        var (code, errorCode, message) = Refusal(status);
        http.Response.StatusCode = code;
        http.Response.ContentType = GraphQLEndpoint.GraphQLResponseJson + "; charset=utf-8";
        await http.Response.WriteAsync(JsonSerializer.Serialize(new { errors = new[] { new { message, extensions = new { code = errorCode } } } }), http.RequestAborted);
    }

    private static async Task<(Partner Partner, PartnerKey Key)?> FindAsync(DirectoryDbContext db, string key, CancellationToken cancellationToken)
    {
        if (key.Length > 200) return null;
        var hash = ApiKeys.Hash(key);
        var found = await db.PartnerKeys.AsNoTracking().Where(k => k.Hash == hash && k.RevokedAt == null)
            .Join(db.Partners.AsNoTracking(), k => k.PartnerId, p => p.Id, (k, p) => new { Key = k, Partner = p })
            .FirstOrDefaultAsync(cancellationToken);
        return found is null ? null : (found.Partner, found.Key);
    }
}
