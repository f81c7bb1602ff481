using GraphQL;
using GraphQL.Types;
using IopDirectory.CallRouting;
using IopDirectory.Data;
using IopDirectory.Geo;
using IopDirectory.GraphQL;
using IopDirectory.Insurance;
using IopDirectory.Programs;
using IopDirectory.Taxonomy;

namespace IopDirectory.Centers;

public sealed class CenterType : ObjectGraphType<Center>
{
    public const string TypeName = "Center";

    public CenterType()
    {
        Name = TypeName;
        Description = "A treatment centre (one site) and the IOP programs it runs.";
        Interface<NodeInterface>();
        IsTypeOf = o => o is Center;

        Field<NonNullGraphType<IdGraphType>>("id").Description("Global id.").Resolve(c => GlobalId.Encode(TypeName, c.Source.Id));
        Field(c => c.Name).Description("The centre's public name.");
        Field(c => c.Description, nullable: true).Description("What the centre says about itself.");
        Field(c => c.Website, nullable: true).Description("The centre's website (absolute http(s) URL).");
        Field<NonNullGraphType<AddressType>>("address").Description("Street address.").Resolve(c => c.Source.Address);
        Field<NonNullGraphType<GeoJsonPointType>>("location").Description("Where the centre is, as a GeoJSON Point.").Resolve(c => c.Source.Location);
        Field(c => c.Latitude).Description("Latitude in degrees (WGS 84).");
        Field(c => c.Longitude).Description("Longitude in degrees (WGS 84).");
        Field(c => c.TimeZone).Description("IANA time zone the centre's schedules are kept in, e.g. America/Phoenix.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<LevelOfCareType>>>>("levelsOfCare")
            .Description("Levels of care the centre offers.").Resolve(c => c.Source.LevelsOfCare);
        Field(c => c.AcceptingNewPatients).Description("Whether the centre currently takes new patients.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<AccreditationType>>>>("accreditations")
            .Description("Accreditations, certifications and licences held.").Resolve(c => c.Source.Accreditations);
        Field(c => c.StateLicenseNumber, nullable: true).Description("The state licence number, when licensed.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TaxonomyTermType>>>>("languages")
            .Description("Languages services are offered in.")
            .Resolve(c => c.Source.Languages.Select(code => new TaxonomyTerm(code, Languages.All.GetValueOrDefault(code, code))));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PopulationType>>>>("populations")
            .Description("Populations the centre serves specifically.").Resolve(c => c.Source.Populations);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ConditionType>>>>("conditions")
            .Description("Conditions treated.").Resolve(c => c.Source.Conditions);
        Field<GeoJsonScalar>("serviceArea")
            .Description("Where the centre's telehealth programs serve, as a GeoJSON MultiPolygon; null when only on site.")
            .Resolve(c => c.Source.ServiceArea);
        Field<NonNullGraphType<PaymentType>>("payment").Description("Payer types, carriers and consultation terms.").Resolve(c => c.Source);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PhoneType>>>>("phones")
            .Description("The centre's own lines (main, intake).")
            .Resolve(c => c.Source is Search.SearchHit { HasPhones: true }
                ? c.Source.Phones
                : c.RequestServices!.GetRequiredService<CenterLoaders>().Phones.Load(c.Source.Id));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<DisplayedNumberType>>>>("displayedNumbers")
            .Description("The numbers this listing shows, with where each routes and its disclosure. A partner key holding a tracking number for this centre sees that number instead of the centre's own.")
            .Resolve(c => c.RequestServices!.GetRequiredService<CenterLoaders>().CallRoutes.Load(c.Source.Id)
                .Then(routes => Partners.PartnerAttribution.Shown(routes, c.Source.Id, c.RequestServices!.GetRequiredService<Partners.PartnerRequest>().Partner)));
        Field<SponsorshipType>("sponsorship")
            .Description("Set when the listing is a paid (sponsored) placement: show the label and disclosure wherever the listing appears.")
            .Resolve(c => c.RequestServices!.GetRequiredService<CenterLoaders>().CallRoutes.Load(c.Source.Id)
                .Then(routes => routes.FirstOrDefault(r => r.IsPaidPlacement && r.PartnerId is null) is { } paid ? new Sponsorship(paid.Disclosure!) : null));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IopProgramType>>>>("programs")
            .Description("The IOP programs the centre runs.")
            .Resolve(c => c.Source is Search.SearchHit { HasPrograms: true }
                ? c.Source.Programs
                : c.RequestServices!.GetRequiredService<CenterLoaders>().Programs.Load(c.Source.Id));
        Field<NonNullGraphType<ProvenanceType>>("provenance").Description("Where this listing's data came from.").Resolve(c => c.Source);
        Field(c => c.LastVerifiedAt, nullable: true).Description("When the listing was last verified with the centre.");
        Field<NonNullGraphType<Editing.VerificationType>>("verification")
            .Description("When and how the listing was last verified, and whether it is stale by now.")
            .Resolve(c => new Editing.Verification(c.Source.LastVerifiedAt, c.Source.VerificationSource,
                Editing.Freshness.IsStale(c.Source.LastVerifiedAt, c.RequestServices!.GetRequiredService<TimeProvider>()), Editing.Freshness.StaleAfterDays));
        Field<NonNullGraphType<StringGraphType>>("version")
            .Description("The listing's version. Editing mutations take it back as `expectedVersion`: an edit made on an older version is refused with CONFLICT.")
            .Resolve(c => c.Source.Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Field(c => c.UpdatedAt, nullable: true).Description("When the listing was last changed through the API.");
    }
}

public sealed record Sponsorship(string Disclosure);

public sealed class SponsorshipType : ObjectGraphType<Sponsorship>
{
    public SponsorshipType()
    {
        Name = "Sponsorship";
        Description = "A paid placement. Sponsorship never changes search order, matching scores or call routing.";
        Field<NonNullGraphType<StringGraphType>>("label").Description("The label to show, e.g. Sponsored.").Resolve(_ => "Sponsored");
        Field(s => s.Disclosure).Description("The disclosure text to show with the listing.");
    }
}

public sealed class AddressType : ObjectGraphType<Address>
{
    public AddressType()
    {
        Name = "Address";
        Description = "A US postal address.";
        Field(a => a.Street1).Description("Street line 1.");
        Field(a => a.Street2, nullable: true).Description("Street line 2 (suite, building).");
        Field(a => a.City).Description("City.");
        Field(a => a.State).Description("USPS state or territory code, e.g. AZ.");
        Field(a => a.PostalCode).Description("ZIP or ZIP+4.");
        Field(a => a.County, nullable: true).Description("County.");
    }
}

public sealed class PhoneType : ObjectGraphType<Phone>
{
    public PhoneType()
    {
        Name = "Phone";
        Description = "One of a centre's own phone lines.";
        Field<NonNullGraphType<PhoneKindType>>("kind").Description("What the line is for.").Resolve(c => c.Source.Kind);
        Field(p => p.Number).Description("E.164, e.g. +14805550100: use it for tel: links.");
        Field<NonNullGraphType<StringGraphType>>("display").Description("Formatted for display, e.g. (480) 555-0100.")
            .Resolve(c => Rules.FormatNational(c.Source.Number));
        Field(p => p.Extension, nullable: true).Description("Extension to dial after connecting.");
    }
}

public sealed class PaymentType : ObjectGraphType<Center>
{
    public PaymentType()
    {
        Name = "Payment";
        Description = "How treatment at a centre can be paid for.";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PayerTypeType>>>>("payerTypes")
            .Description("Payer types accepted.").Resolve(c => c.Source.PayerTypes);
        Field(c => c.FreeConsultation).Description("Whether a first consultation is free.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<InsurancePlanType>>>>("insurancePlans")
            .Description("Named carriers (and plans) the centre is in network with.")
            .Resolve(c => c.RequestServices!.GetRequiredService<CenterLoaders>().InsurancePlans.Load(c.Source.Id));
    }
}

public sealed class ProvenanceType : ObjectGraphType<Center>
{
    public ProvenanceType()
    {
        Name = "Provenance";
        Description = "Where a listing came from.";
        Field(c => c.Source).Description("The source: seed, samhsa, hsds, editor...");
        Field(c => c.SourceId).Description("The record's id in that source.");
    }
}
