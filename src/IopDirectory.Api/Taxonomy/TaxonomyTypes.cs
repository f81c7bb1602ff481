using GraphQL;
using GraphQL.Types;
using IopDirectory.CallRouting;
using IopDirectory.Centers;
using IopDirectory.Insurance;
using IopDirectory.Programs;

namespace IopDirectory.Taxonomy;

/// <summary>A GraphQL enum whose values carry the human labels of <see cref="Labels"/>.</summary>
public abstract class LabelledEnumType<TEnum> : EnumerationGraphType<TEnum> where TEnum : Enum
{
    protected LabelledEnumType(string description)
    {
        Name = typeof(TEnum).Name;
        Description = description;
        foreach (var value in Values)
            value.Description = Labels.Of((Enum)value.Value!);
    }
}

public sealed class LevelOfCareType() : LabelledEnumType<LevelOfCare>("A level of care on the treatment continuum.");
public sealed class PopulationType() : LabelledEnumType<Population>("A group of people a centre serves specifically.");
public sealed class ConditionType() : LabelledEnumType<Condition>("A substance use or co-occurring mental-health condition treated.");
public sealed class AccreditationType() : LabelledEnumType<Accreditation>("An accreditation, certification or licence a centre holds.");
public sealed class ServiceCategoryType() : LabelledEnumType<ServiceCategory>("A group of related services.");
public sealed class PayerTypeType() : LabelledEnumType<PayerType>("A way of paying for treatment.");
public sealed class TrackKindType() : LabelledEnumType<TrackKind>("When a program's sessions meet: day, evening or weekend.");
public sealed class PhoneKindType() : LabelledEnumType<PhoneKind>("What a centre's own phone line is for.");
public sealed class DisplayedNumberKindType() : LabelledEnumType<DisplayedNumberKind>("What a number shown on a listing is.");
public sealed class RouteDestinationKindType() : LabelledEnumType<RouteDestinationKind>("Who answers calls to a displayed number.");

public sealed class ServiceType : ObjectGraphType<ServiceDefinition>
{
    public ServiceType()
    {
        Name = "Service";
        Description = "A service a program offers, from the directory's taxonomy.";
        Field(s => s.Code).Description("Stable code, used in filters (e.g. FAMILY_THERAPY).");
        Field(s => s.Label).Description("Human label.");
        Field<NonNullGraphType<ServiceCategoryType>>("category").Description("The group the service belongs to.").Resolve(c => c.Source.Category);
        Field(s => s.SamhsaCode, nullable: true).Description("The matching SAMHSA FindTreatment.gov service code, when one exists.");
    }
}

/// <summary>One value of a vocabulary with its label, for building filter UIs.</summary>
public sealed record TaxonomyTerm(string Value, string Label);

public sealed class TaxonomyTermType : ObjectGraphType<TaxonomyTerm>
{
    public TaxonomyTermType()
    {
        Name = "TaxonomyTerm";
        Description = "One value of a vocabulary: the value to send in filters and a label to show.";
        Field(t => t.Value).Description("The value as filters take it (an enum value name or a code).");
        Field(t => t.Label).Description("Human label.");
    }
}

public sealed class Taxonomy;

public sealed class TaxonomyType : ObjectGraphType<Taxonomy>
{
    public TaxonomyType()
    {
        Name = "Taxonomy";
        Description = "The directory's vocabularies with labels: everything a filter sidebar needs.";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ServiceType>>>>("services")
            .Description("Services programs can offer, optionally of one category.")
            .Argument<ServiceCategoryType>("category", "Only services of this category.")
            .Resolve(c => c.GetArgument<ServiceCategory?>("category") is { } category
                ? ServiceCatalog.All.Where(s => s.Category == category)
                : ServiceCatalog.All);
        Terms<ServiceCategory>("serviceCategories", "Groups of services.");
        Terms<LevelOfCare>("levelsOfCare", "Levels of care on the treatment continuum.");
        Terms<TrackKind>("tracks", "Program schedule tracks.");
        Terms<PayerType>("payerTypes", "Ways of paying.");
        Terms<Population>("populations", "Populations served.");
        Terms<Condition>("conditions", "Conditions treated.");
        Terms<Accreditation>("accreditations", "Accreditations and licences.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TaxonomyTermType>>>>("carriers")
            .Description("Named insurance carriers (value is the carrier code).")
            .Resolve(_ => Carriers.All.Select(c => new TaxonomyTerm(c.Key, c.Value)));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TaxonomyTermType>>>>("languages")
            .Description("Languages services are offered in (value is the ISO 639 code).")
            .Resolve(_ => Languages.All.Select(l => new TaxonomyTerm(l.Key, l.Value)));
    }

    private void Terms<TEnum>(string name, string description) where TEnum : struct, Enum =>
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TaxonomyTermType>>>>(name)
            .Description(description)
            .Resolve(_ => Enum.GetValues<TEnum>().Select(v => new TaxonomyTerm(Labels.ConstantCase(v), Labels.Of(v))));
}
