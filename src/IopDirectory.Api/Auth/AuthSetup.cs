using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace IopDirectory.Auth;

public sealed class AuthOptions
{
    /// <summary>HMAC-SHA256 key, at least 32 bytes. Unset: a development key kept in .data/dev-signing-key.</summary>
    public string? SigningKey { get; set; }
    public string Issuer { get; set; } = "iopdirectory";
    public string Audience { get; set; } = "iopdirectory-api";
}

/// <summary>
/// JWT bearer authentication. Tokens carry roles in the "role" claim. Production sets
/// Auth__SigningKey (or swaps in an identity provider's keys); development mints tokens with
/// `dotnet run --project src/IopDirectory.Api -- dev-token --role HOTLINE`.
/// </summary>
public static class AuthSetup
{
    public static WebApplicationBuilder AddDirectoryAuth(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Auth").Get<AuthOptions>() ?? new AuthOptions();
        options.SigningKey ??= DevelopmentKey(builder.Configuration);
        if (Encoding.UTF8.GetByteCount(options.SigningKey) < 32)
            throw new InvalidOperationException("Auth:SigningKey must be at least 32 bytes.");
        builder.Services.AddSingleton(options);
        builder.Services
            .AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(jwt =>
            {
                jwt.MapInboundClaims = false;
                jwt.RequireHttpsMetadata = false;
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = options.Issuer,
                    ValidAudience = options.Audience,
                    IssuerSigningKey = Key(options.SigningKey),
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    RoleClaimType = "role",
                    NameClaimType = "sub",
                    ClockSkew = TimeSpan.FromSeconds(30),
                };
            });
        return builder;
    }

    public static string MintToken(AuthOptions options, string subject, IEnumerable<string> roles, TimeSpan lifetime, IEnumerable<Claim>? extra = null)
    {
        var claims = new List<Claim> { new("sub", subject) };
        claims.AddRange(roles.Select(r => new Claim("role", r)));
        if (extra is not null) claims.AddRange(extra);
        var token = new JwtSecurityToken(options.Issuer, options.Audience, claims, DateTime.UtcNow.AddSeconds(-1), DateTime.UtcNow.Add(lifetime),
            new SigningCredentials(Key(options.SigningKey!), SecurityAlgorithms.HmacSha256));
        return new JwtSecurityTokenHandler().WriteToken(token);
    }

    private static SymmetricSecurityKey Key(string signingKey) => new(Encoding.UTF8.GetBytes(signingKey));

    /// <summary>A random key created once per data folder, so local tokens survive restarts.</summary>
    private static string DevelopmentKey(IConfiguration configuration)
    {
        var folder = Path.GetDirectoryName(configuration["Embedded:DataDirectory"] ?? Path.Combine(Directory.GetCurrentDirectory(), ".data", "postgres"))!;
        var path = Path.Combine(folder, "dev-signing-key");
        if (File.Exists(path)) return File.ReadAllText(path).Trim();
        Directory.CreateDirectory(folder);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
        File.WriteAllText(path, key);
        return key;
    }
}
