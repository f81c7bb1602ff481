using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using IopDirectory.CallRouting;
using IopDirectory.Centers;
using IopDirectory.Insurance;
using IopDirectory.Programs;
using IopDirectory.Taxonomy;

namespace IopDirectory.Importing.Hsds;

/// <summary>
/// This directory's own HSDS taxonomy: what HSDS has no field for (tracks, intensity, call routing, carriers, payer
/// types, populations...) travels as attributes whose taxonomy term comes from here. A term's code is its vocabulary,
/// or "vocabulary:member" for a value of a closed list (payer_type:Medicaid, service:CBT, track:Evening); free values
/// (a time zone, a disclosure) go in the attribute's <c>value</c>. Term ids are name-based UUIDs, the same in every export.
/// </summary>
public static class DirectoryTaxonomy
{
    public const string Name = "IopDirectory";

    private static readonly Dictionary<string, Vocabulary> ByCode = Vocabularies.All.ToDictionary(v => v.Code);

    /// <summary>Term ids of every closed-list member and vocabulary, for files that give <c>taxonomy_term_id</c> without the term.</summary>
    private static readonly Dictionary<string, string> CodeById = BuildCodeById();

    /// <summary>An attribute linking <paramref name="linkId"/> (a record of <paramref name="linkEntity"/>) to a term of this taxonomy.</summary>
    public static HsdsAttribute Attribute(string linkEntity, string linkId, Vocabulary vocabulary, string? member = null, string? value = null)
    {
        var code = member is null ? vocabulary.Code : $"{vocabulary.Code}:{member}";
        var termId = HsdsIds.For("term", code);
        return new HsdsAttribute
        {
            Id = HsdsIds.For("attribute", linkId, code, value ?? ""),
            LinkId = linkId,
            LinkEntity = linkEntity,
            LinkType = vocabulary.Code,
            TaxonomyTermId = termId,
            Value = value,
            TaxonomyTerm = new HsdsTaxonomyTerm
            {
                Id = termId,
                Code = code,
                Name = member is null ? vocabulary.Name : $"{vocabulary.Name}: {vocabulary.MemberLabel?.Invoke(member) ?? member}",
                Description = vocabulary.Description,
                ParentId = member is null ? null : HsdsIds.For("term", vocabulary.Code),
                Taxonomy = Name,
            },
        };
    }

    /// <summary>The vocabulary and member an attribute names, or null when its term is not from this taxonomy.</summary>
    public static (Vocabulary Vocabulary, string? Member)? Read(HsdsAttribute attribute)
    {
        var code = attribute.TaxonomyTerm is { Taxonomy: Name, Code: { } termCode } ? termCode
            : attribute.TaxonomyTermId is { } id ? CodeById.GetValueOrDefault(id)
            : null;
        if (code is null) return null;
        var colon = code.IndexOf(':', StringComparison.Ordinal);
        var vocabulary = ByCode.GetValueOrDefault(colon < 0 ? code : code[..colon]);
        return vocabulary is null ? null : (vocabulary, colon < 0 ? null : code[(colon + 1)..]);
    }

    private static Dictionary<string, string> BuildCodeById()
    {
        var codes = new List<string>(Vocabularies.All.Select(v => v.Code));
        void Members<TEnum>(Vocabulary vocabulary) where TEnum : struct, Enum =>
            codes.AddRange(Enum.GetNames<TEnum>().Select(member => $"{vocabulary.Code}:{member}"));
        Members<LevelOfCare>(Vocabularies.LevelOfCare);
        Members<Accreditation>(Vocabularies.Accreditation);
        Members<Population>(Vocabularies.Population);
        Members<Condition>(Vocabularies.Condition);
        Members<PayerType>(Vocabularies.PayerType);
        Members<PhoneKind>(Vocabularies.PhoneKind);
        Members<DisplayedNumberKind>(Vocabularies.DisplayedNumber);
        Members<RouteDestinationKind>(Vocabularies.RouteDestination);
        Members<TrackKind>(Vocabularies.Track);
        codes.AddRange(Carriers.All.Keys.Select(c => $"{Vocabularies.Carrier.Code}:{c}"));
        codes.AddRange(ServiceCatalog.All.Select(s => $"{Vocabularies.Service.Code}:{s.Code}"));
        codes.AddRange(["delivery:InPerson", "delivery:Telehealth"]);
        return codes.ToDictionary(code => HsdsIds.For("term", code));
    }
}

/// <summary>A vocabulary of <see cref="DirectoryTaxonomy"/>: its code, a name for people, and what it means.</summary>
public sealed record Vocabulary(string Code, string Name, string Description, Func<string, string?>? MemberLabel = null);

/// <summary>The vocabularies of <see cref="DirectoryTaxonomy"/>, by the record they describe.</summary>
public static class Vocabularies
{
    // On the location (the centre).
    public static readonly Vocabulary TimeZone = new("time_zone", "Time zone", "The IANA time zone the centre keeps its schedules in.");
    public static readonly Vocabulary LevelOfCare = Closed<LevelOfCare>("level_of_care", "Level of care", "A level of the continuum of care the centre offers.");
    public static readonly Vocabulary AcceptingNewPatients = new("accepting_new_patients", "Accepting new patients", "true or false.");
    public static readonly Vocabulary Accreditation = Closed<Accreditation>("accreditation", "Accreditation", "An accreditation or licence the centre holds.");
    public static readonly Vocabulary StateLicenseNumber = new("state_license_number", "State licence number", "The centre's state licence number.");
    public static readonly Vocabulary Population = Closed<Population>("population", "Population", "A population the centre has programs for.");
    public static readonly Vocabulary Condition = Closed<Condition>("condition", "Condition", "A condition the centre treats.");
    public static readonly Vocabulary PayerType = Closed<PayerType>("payer_type", "Payer type", "A way the centre can be paid.");
    public static readonly Vocabulary Carrier = new("carrier", "Insurance carrier", "A carrier the centre is in network with; the value names the plan, if any.",
        code => Carriers.All.GetValueOrDefault(code));
    public static readonly Vocabulary FreeConsultation = new("free_consultation", "Free consultation", "true or false.");
    public static readonly Vocabulary ServiceArea = new("service_area", "Telehealth service area", "Where the centre's telehealth programs serve: a GeoJSON MultiPolygon.");
    public static readonly Vocabulary LastVerifiedAt = new("last_verified_at", "Last verified", "When the listing was last verified (ISO 8601).");
    public static readonly Vocabulary VerificationSource = new("verification_source", "Verified by", "How the listing was last verified.");
    public static readonly Vocabulary RetiredAt = new("retired_at", "Retired", "When the centre was retired (ISO 8601); retired centres are kept, never listed.");

    // On phones.
    public static readonly Vocabulary PhoneKind = Closed<PhoneKind>("phone_kind", "Phone line", "One of the centre's own lines.");
    public static readonly Vocabulary DisplayedNumber = Closed<DisplayedNumberKind>("displayed_number", "Displayed number",
        "A number the directory shows, and what it is; the attributes beside it say where it rings.");
    public static readonly Vocabulary RouteDestination = Closed<RouteDestinationKind>("route_destination", "Rings", "Who answers the displayed number.");
    public static readonly Vocabulary DestinationCenter = new("destination_center", "Rings centre",
        "The centre a displayed number rings when that is not the listing it is shown on: source:source id.");
    public static readonly Vocabulary PartnerNetwork = new("partner_network", "Partner network", "The partner network that answers.");
    public static readonly Vocabulary DestinationNumber = new("destination_number", "Rings number", "The line that rings (E.164).");
    public static readonly Vocabulary AnsweredAllHours = new("answered_all_hours", "Answered 24/7", "true or false.");
    public static readonly Vocabulary AnswerTimeZone = new("answer_time_zone", "Answering time zone", "The IANA time zone of the answering hours.");
    public static readonly Vocabulary AnswerHours = new("answer_hours", "Answering hours", "A weekly window, e.g. MO 09:00-17:00, in the answering time zone.");
    public static readonly Vocabulary AfterHoursNumber = new("after_hours_number", "After hours", "Where calls go outside the answering hours (E.164).");
    public static readonly Vocabulary AfterHoursLabel = new("after_hours_label", "After hours label", "What the after-hours line is.");
    public static readonly Vocabulary PaidPlacement = new("paid_placement", "Paid placement", "true or false.");
    public static readonly Vocabulary Disclosure = new("disclosure", "Disclosure", "Shown beside the number: who answers, and whether the listing is paid.");
    public static readonly Vocabulary CallbacksOffered = new("callbacks_offered", "Call-backs offered", "true or false.");

    // On services (programs) and their schedules (tracks).
    public static readonly Vocabulary MinHoursPerWeek = new("min_hours_per_week", "Hours per week (min)", "A number.");
    public static readonly Vocabulary MaxHoursPerWeek = new("max_hours_per_week", "Hours per week (max)", "A number.");
    public static readonly Vocabulary MinDaysPerWeek = new("min_days_per_week", "Days per week (min)", "A whole number.");
    public static readonly Vocabulary MaxDaysPerWeek = new("max_days_per_week", "Days per week (max)", "A whole number.");
    public static readonly Vocabulary MinDurationWeeks = new("min_duration_weeks", "Typical duration (min weeks)", "A whole number.");
    public static readonly Vocabulary MaxDurationWeeks = new("max_duration_weeks", "Typical duration (max weeks)", "A whole number.");
    public static readonly Vocabulary StepsDown = new("steps_down", "Steps down", "true when intensity tapers as milestones are met.");
    public static readonly Vocabulary Delivery = new("delivery", "Delivery", "How the program is delivered: InPerson or Telehealth.",
        member => member switch { "InPerson" => "In person", "Telehealth" => "Telehealth", _ => null });
    public static readonly Vocabulary Service = new("service", "Service", "A service of the program, from the directory's service taxonomy.",
        code => ServiceCatalog.Find(code)?.Label);
    public static readonly Vocabulary Track = Closed<TrackKind>("track", "Track", "The track a schedule belongs to; the value numbers the program's tracks from 1.");

    // On the directory's own organization.
    public static readonly Vocabulary DirectoryHelplines = new("directory_helplines", "Directory helplines",
        "Marks the organization holding the numbers the directory shows beside no single listing.");

    /// <summary>Every vocabulary (declared after them: static fields initialise in order).</summary>
    public static readonly IReadOnlyList<Vocabulary> All =
    [
        TimeZone, LevelOfCare, AcceptingNewPatients, Accreditation, StateLicenseNumber, Population, Condition, PayerType, Carrier,
        FreeConsultation, ServiceArea, LastVerifiedAt, VerificationSource, RetiredAt, PhoneKind, DisplayedNumber, RouteDestination,
        DestinationCenter, PartnerNetwork, DestinationNumber, AnsweredAllHours, AnswerTimeZone, AnswerHours, AfterHoursNumber,
        AfterHoursLabel, PaidPlacement, Disclosure, CallbacksOffered, MinHoursPerWeek, MaxHoursPerWeek, MinDaysPerWeek, MaxDaysPerWeek,
        MinDurationWeeks, MaxDurationWeeks, StepsDown, Delivery, Service, Track, DirectoryHelplines,
    ];

    private static Vocabulary Closed<TEnum>(string code, string name, string description) where TEnum : struct, Enum =>
        new(code, name, description, member => Enum.TryParse<TEnum>(member, out var value) ? Labels.Of(value) : null);
}

/// <summary>HSDS ids are UUIDs: name-based (version 5 style, SHA-1), so an export of the same data has the same ids.</summary>
public static class HsdsIds
{
    private static readonly byte[] Namespace = Guid.Parse("5b0f6c1e-3f7e-4d2a-9a57-0c1d3e5f7a90").ToByteArray(bigEndian: true);

    public static string For(params string[] parts)
    {
        var name = Encoding.UTF8.GetBytes(string.Join("\u001f", parts));
        var hash = SHA1.HashData([.. Namespace, .. name]);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString("D", CultureInfo.InvariantCulture);
    }
}
