using IopDirectory.CallRouting;
using IopDirectory.Data;
using Microsoft.EntityFrameworkCore;

namespace IopDirectory.Partners;

/// <summary>
/// A site that embeds listings (a treatment network, a news site, an employer's benefits page): its keys, the web
/// origins its keys are honoured from, its default filter, and the tracking numbers that attribute calls to it
/// (call routes with <see cref="CallRoute.PartnerId"/> set).
/// </summary>
public sealed class Partner : IValidatable
{
    public int Id { get; set; }
    public required string Name { get; set; }

    /// <summary>Web origins (scheme://host[:port]) a browser may use this partner's keys from.</summary>
    public List<string> Origins { get; set; } = [];

    /// <summary>The state the widget and embed pages search in when the embed does not say (two letters).</summary>
    public string? DefaultState { get; set; }

    /// <summary>When set, the partner's keys run only the trusted documents of Partners/Documents (by sha256 id).</summary>
    public bool TrustedDocumentsOnly { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public List<PartnerKey> Keys { get; set; } = [];

    public IEnumerable<ValidationError> Validate()
    {
        if (string.IsNullOrWhiteSpace(Name) || Name.Length > 200)
            yield return new("partner.name", "A partner needs a name of 1 to 200 characters.", "INVALID_NAME");
        foreach (var origin in Origins.Where(o => PartnerOrigins.Normalize(o) != o))
            yield return new("partner.origins", $"'{origin}' is not a web origin such as https://www.example.org (scheme, host, optional port; no path).", "INVALID_ORIGIN");
        if (DefaultState is not null && (DefaultState.Length != 2 || !DefaultState.All(char.IsAsciiLetterUpper)))
            yield return new("partner.defaultState", $"'{DefaultState}' is not a two-letter state code.", "INVALID_STATE");
    }
}

/// <summary>An API key: only its SHA-256 hash is kept; the key itself is shown once, when created.</summary>
public sealed class PartnerKey
{
    public int Id { get; set; }
    public int PartnerId { get; set; }

    /// <summary>The key's first characters, so an admin can tell keys apart without holding them.</summary>
    public required string Prefix { get; set; }

    /// <summary>Lower-case hex SHA-256 of the whole key.</summary>
    public required string Hash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>One partner's traffic on one UTC day.</summary>
public sealed class PartnerUsageDay
{
    public int PartnerId { get; set; }
    public DateOnly Day { get; set; }
    public long Requests { get; set; }
    public long ListingsShown { get; set; }
}

public static class PartnerModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<Partner>(partner =>
        {
            partner.Property(p => p.Name).HasMaxLength(200);
            partner.Property(p => p.DefaultState).HasMaxLength(2);
            partner.PrimitiveCollection(p => p.Origins);
            partner.HasMany(p => p.Keys).WithOne().HasForeignKey(k => k.PartnerId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<PartnerKey>(key =>
        {
            key.Property(k => k.Prefix).HasMaxLength(16);
            key.Property(k => k.Hash).HasMaxLength(64).IsFixedLength();
            key.HasIndex(k => k.Hash).IsUnique();
        });
        model.Entity<PartnerUsageDay>(usage =>
        {
            usage.ToTable("partner_usage");
            usage.HasKey(u => new { u.PartnerId, u.Day });
            usage.HasOne<Partner>().WithMany().HasForeignKey(u => u.PartnerId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<CallRoute>(route =>
        {
            route.HasOne<Partner>().WithMany().HasForeignKey(r => r.PartnerId).OnDelete(DeleteBehavior.Restrict);
            route.HasIndex(r => r.PartnerId);
            // A partner's number is a tracking number on one centre's listing (which, by the listing rule, rings that centre).
            route.ToTable(t => t.HasCheckConstraint("ck_call_routes_partner_number_is_tracking",
                "partner_id IS NULL OR (kind = 'TrackingNumber' AND center_id IS NOT NULL)"));
        });
    }
}
