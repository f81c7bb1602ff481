using IopDirectory.CallRouting;
using IopDirectory.Centers;
using IopDirectory.Insurance;
using IopDirectory.Partners;
using IopDirectory.Programs;
using IopDirectory.Taxonomy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IopDirectory.Data;

public sealed class DirectoryDbContext(DbContextOptions<DirectoryDbContext> options) : DbContext(options)
{
    public DbSet<Center> Centers => Set<Center>();
    public DbSet<Phone> Phones => Set<Phone>();
    public DbSet<IopProgram> Programs => Set<IopProgram>();
    public DbSet<Track> Tracks => Set<Track>();
    public DbSet<TrackSession> TrackSessions => Set<TrackSession>();
    public DbSet<InsurancePlan> InsurancePlans => Set<InsurancePlan>();
    public DbSet<CallRoute> CallRoutes => Set<CallRoute>();
    public DbSet<ServiceDefinition> Services => Set<ServiceDefinition>();
    public DbSet<RoutingDecision> RoutingDecisions => Set<RoutingDecision>();
    public DbSet<Callbacks.CallbackRequest> CallbackRequests => Set<Callbacks.CallbackRequest>();
    public DbSet<Editing.AuditEntry> AuditEntries => Set<Editing.AuditEntry>();
    public DbSet<Editing.CenterEditor> CenterEditors => Set<Editing.CenterEditor>();
    public DbSet<Partner> Partners => Set<Partner>();
    public DbSet<PartnerKey> PartnerKeys => Set<PartnerKey>();
    public DbSet<PartnerUsageDay> PartnerUsage => Set<PartnerUsageDay>();

    /// <summary>
    /// Who the changes saved through this context are recorded as (see <see cref="Editing.AuditTrail"/>): the API sets
    /// the token's subject and role, importers their own name. Unset, nothing is audited (seeding, tests' fixtures).
    /// </summary>
    public string? Actor { get; set; }

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        SaveChangesAsync(acceptAllChangesOnSuccess).GetAwaiter().GetResult();

    /// <summary>
    /// Validates, saves and (when <see cref="Actor"/> is set) records every change in the audit trail, all in one
    /// transaction: the caller's, or one opened here.
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        ValidatePendingChanges();
        if (Actor is not { } actor)
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);

        var pending = Editing.AuditTrail.Capture(this);
        var transaction = Database.CurrentTransaction is null ? await Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            var count = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            var entries = Editing.AuditTrail.Entries(this, pending, actor, DateTimeOffset.UtcNow);
            if (entries.Count > 0)
            {
                AuditEntries.AddRange(entries);
                await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            }
            if (transaction is not null) await transaction.CommitAsync(cancellationToken);
            return count;
        }
        finally
        {
            if (transaction is not null) await transaction.DisposeAsync();
        }
    }

    /// <summary>Every added or changed entity is checked before a single row is written.</summary>
    private void ValidatePendingChanges()
    {
        var errors = ChangeTracker.Entries()
            .Where(e => e.State is EntityState.Added or EntityState.Modified)
            .Select(e => e.Entity)
            .OfType<IValidatable>()
            .SelectMany(e => e.Validate())
            .ToList();
        if (errors.Count > 0)
            throw new DirectoryValidationException(errors);
    }

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.HasPostgresExtension("postgis");
        model.Entity<Editing.AuditEntry>(audit =>
        {
            audit.Property(a => a.ResourceType).HasMaxLength(40);
            audit.Property(a => a.ResourceId).HasMaxLength(40);
            audit.Property(a => a.Action).HasMaxLength(10);
            audit.Property(a => a.Field).HasMaxLength(80);
            audit.Property(a => a.Actor).HasMaxLength(200);
            audit.HasIndex(a => new { a.CenterId, a.Id });
        });
        model.Entity<Editing.CenterEditor>(editor =>
        {
            editor.HasKey(e => new { e.CenterId, e.Subject });
            editor.Property(e => e.Subject).HasMaxLength(200);
            editor.Property(e => e.AssignedBy).HasMaxLength(200);
            editor.HasIndex(e => e.Subject);
            editor.HasOne<Center>().WithMany().HasForeignKey(e => e.CenterId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<Center>(ConfigureCenter);
        model.Entity<Phone>(phone =>
        {
            phone.Property(p => p.Kind).HasConversion<string>().HasMaxLength(20);
            phone.Property(p => p.Number).HasMaxLength(16);
            phone.Property(p => p.Extension).HasMaxLength(6);
            phone.HasIndex(p => p.CenterId);
        });
        model.Entity<IopProgram>(program =>
        {
            program.ToTable("programs");
            program.Property(p => p.Name).HasMaxLength(200);
            program.PrimitiveCollection(p => p.ServiceCodes);
            program.HasIndex(p => p.ServiceCodes).HasMethod("gin");
            program.HasIndex(p => p.CenterId);
            program.HasMany(p => p.Tracks).WithOne().HasForeignKey(t => t.ProgramId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<Track>(track =>
        {
            track.Property(t => t.Kind).HasConversion<string>().HasMaxLength(20);
            track.HasIndex(t => t.ProgramId);
            track.HasMany(t => t.Sessions).WithOne().HasForeignKey(s => s.TrackId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<TrackSession>(session =>
        {
            session.Property(s => s.Weekday).HasConversion<string>().HasMaxLength(10);
            session.HasIndex(s => s.TrackId);
        });
        model.Entity<InsurancePlan>(plan =>
        {
            plan.Property(p => p.CarrierCode).HasMaxLength(40);
            plan.HasIndex(p => new { p.CenterId, p.CarrierCode });
        });
        model.Entity<CallRoute>(ConfigureCallRoute);
        model.Entity<AnswerHours>(hours =>
        {
            hours.Property(h => h.Weekday).HasConversion<string>().HasMaxLength(10);
            hours.HasIndex(h => h.CallRouteId);
        });
        model.Entity<RoutingDecision>(decision =>
        {
            decision.Property(d => d.Number).HasMaxLength(16);
            decision.Property(d => d.DestinationNumber).HasMaxLength(16);
            decision.Property(d => d.Rule).HasConversion<string>().HasMaxLength(30);
            decision.HasIndex(d => d.RecordedAt);
            decision.HasIndex(d => new { d.Number, d.RecordedAt });
            decision.HasOne<CallRoute>().WithMany().HasForeignKey(d => d.CallRouteId).OnDelete(DeleteBehavior.Restrict);
        });
        model.Entity<Callbacks.CallbackRequest>(request =>
        {
            request.Property(r => r.Name).HasMaxLength(100);
            request.Property(r => r.Phone).HasMaxLength(16);
            request.Property(r => r.PostalCode).HasMaxLength(5);
            request.Property(r => r.CarrierCode).HasMaxLength(40);
            request.Property(r => r.PayerType).HasConversion<string>().HasMaxLength(30);
            request.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
            request.Property(r => r.Outcome).HasConversion<string>().HasMaxLength(30);
            request.Property(r => r.ClaimedBy).HasMaxLength(100);
            request.Property(r => r.Version).IsRowVersion();
            request.HasIndex(r => new { r.Status, r.CreatedAt });
            request.HasOne<Center>().WithMany().HasForeignKey(r => r.CenterId).OnDelete(DeleteBehavior.SetNull);
        });
        PartnerModel.Configure(model);
        model.Entity<ServiceDefinition>(service =>
        {
            service.HasKey(s => s.Code);
            service.Property(s => s.Code).HasMaxLength(40);
            service.Property(s => s.Category).HasConversion<string>().HasMaxLength(30);
            service.HasData(ServiceCatalog.All);
        });
    }

    private static void ConfigureCenter(EntityTypeBuilder<Center> center)
    {
        center.Property(c => c.Name).HasMaxLength(200);
        center.Property(c => c.TimeZone).HasMaxLength(64);
        center.Property(c => c.Location).HasColumnType("geography (point, 4326)");
        center.Property(c => c.ServiceArea).HasColumnType("geography (multipolygon, 4326)");
        // A complex property, not an owned entity: same columns, but EF never joins the table to itself.
        center.ComplexProperty(c => c.Address, address =>
        {
            address.Property(a => a.Street1).HasColumnName("street1").HasMaxLength(200);
            address.Property(a => a.Street2).HasColumnName("street2").HasMaxLength(200);
            address.Property(a => a.City).HasColumnName("city").HasMaxLength(100);
            address.Property(a => a.State).HasColumnName("state").HasMaxLength(2);
            address.Property(a => a.PostalCode).HasColumnName("postal_code").HasMaxLength(10);
            address.Property(a => a.County).HasColumnName("county").HasMaxLength(100);
        });
        // Enum sets are text[] so the database stays readable, with GIN indexes for filters.
        center.PrimitiveCollection(c => c.LevelsOfCare).ElementType(e => e.HasConversion<string>());
        center.PrimitiveCollection(c => c.Accreditations).ElementType(e => e.HasConversion<string>());
        center.PrimitiveCollection(c => c.Populations).ElementType(e => e.HasConversion<string>());
        center.PrimitiveCollection(c => c.Conditions).ElementType(e => e.HasConversion<string>());
        center.PrimitiveCollection(c => c.PayerTypes).ElementType(e => e.HasConversion<string>());
        center.PrimitiveCollection(c => c.Languages);
        center.Property(c => c.Version).IsRowVersion();
        center.Property(c => c.VerificationSource).HasMaxLength(200);
        center.Ignore(c => c.Latitude);
        center.Ignore(c => c.Longitude);
        center.HasIndex(c => c.Location).HasMethod("gist");
        center.HasIndex(c => c.ServiceArea).HasMethod("gist");
        center.HasIndex(c => c.LevelsOfCare).HasMethod("gin");
        center.HasIndex(c => c.PayerTypes).HasMethod("gin");
        center.HasIndex(c => new { c.Source, c.SourceId }).IsUnique();
        // No index on retired_at: every listing query asks for `retired_at IS NULL` (nearly all rows), and a btree on it
        // offered the planner that condition as an index: at 1M centres it used it for the nearest-first page (2 req/s, was 183).
        center.HasMany(c => c.Phones).WithOne().HasForeignKey(p => p.CenterId).OnDelete(DeleteBehavior.Cascade);
        center.HasMany(c => c.Programs).WithOne(p => p.Center).HasForeignKey(p => p.CenterId).OnDelete(DeleteBehavior.Cascade);
        center.HasMany(c => c.InsurancePlans).WithOne().HasForeignKey(p => p.CenterId).OnDelete(DeleteBehavior.Cascade);
        center.HasMany(c => c.CallRoutes).WithOne().HasForeignKey(r => r.CenterId).OnDelete(DeleteBehavior.Cascade);
    }

    private static void ConfigureCallRoute(EntityTypeBuilder<CallRoute> route)
    {
        route.Property(r => r.Number).HasMaxLength(16);
        route.HasIndex(r => r.Number).IsUnique();
        route.Property(r => r.Kind).HasConversion<string>().HasMaxLength(20);
        route.Property(r => r.DestinationKind).HasConversion<string>().HasMaxLength(20);
        route.Property(r => r.DestinationNumber).HasMaxLength(16);
        route.Property(r => r.AfterHoursNumber).HasMaxLength(16);
        route.Property(r => r.AnswerTimeZone).HasMaxLength(64);
        route.HasOne<Center>().WithMany().HasForeignKey(r => r.DestinationCenterId).OnDelete(DeleteBehavior.Restrict);
        route.HasMany(r => r.Hours).WithOne().HasForeignKey(h => h.CallRouteId).OnDelete(DeleteBehavior.Cascade);
        // The trust rule, also enforced by the database: a number shown on a centre's listing
        // (other than the disclosed directory hotline) rings that centre.
        route.ToTable(t => t.HasCheckConstraint("ck_call_routes_listing_rings_its_centre",
            "center_id IS NULL OR kind = 'DirectoryHotline' OR (destination_kind = 'Facility' AND destination_center_id = center_id)"));
    }
}
