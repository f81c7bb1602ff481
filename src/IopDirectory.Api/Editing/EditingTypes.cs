using GraphQL.Types;
using IopDirectory.CallRouting;
using IopDirectory.Callbacks;
using IopDirectory.Centers;
using IopDirectory.GraphQL;
using IopDirectory.Programs;
using IopDirectory.Search;
using IopDirectory.Taxonomy;

namespace IopDirectory.Editing;

public sealed class VerificationType : ObjectGraphType<Verification>
{
    public VerificationType()
    {
        Name = "Verification";
        Description = "How fresh a listing is.";
        Field(v => v.LastVerifiedAt, nullable: true).Description("When the listing was last verified with the centre; null when never.");
        Field(v => v.Source, nullable: true).Description("How it was verified (\"phone call to intake\", \"import:samhsa-csv\"...).");
        Field(v => v.Stale).Description("Never verified, or verified longer ago than `staleAfterDays`.");
        Field(v => v.StaleAfterDays).Description("After how many days a verification goes stale (setting Directory:StaleAfterDays).");
    }
}

public sealed class AddressInputType : InputObjectGraphType<AddressInput>
{
    public AddressInputType()
    {
        Name = "AddressInput";
        Description = "A street address in the United States or its territories.";
        Field(a => a.Street1).Description("Street and number.");
        Field(a => a.Street2, nullable: true).Description("Suite, floor...");
        Field(a => a.City).Description("City or town.");
        Field(a => a.State).Description("Two-letter USPS code.");
        Field(a => a.PostalCode).Description("5-digit ZIP code.");
        Field(a => a.County, nullable: true).Description("County, if known.");
    }
}

public sealed class CenterInputType : InputObjectGraphType<CenterInput>
{
    public CenterInputType()
    {
        Name = "CenterInput";
        Description = "A centre's own facts. On update, an omitted or null field stays as it is; an empty string clears an optional text.";
        Field(c => c.Name, nullable: true).Description("Public name, 1 to 200 characters (required on create).");
        Field(c => c.Description, nullable: true).Description("What the centre offers, in a few sentences.");
        Field(c => c.Website, nullable: true).Description("Absolute http(s) URL.");
        Field<AddressInputType>("address").Description("Required on create.");
        Field<GeoPointInputType>("location").Description("Where the site is (required on create).");
        Field(c => c.TimeZone, nullable: true).Description("IANA time zone, e.g. America/Phoenix (required on create).");
        Field<ListGraphType<NonNullGraphType<LevelOfCareType>>>("levelsOfCare").Description("Levels of care offered.");
        Field<ListGraphType<NonNullGraphType<AccreditationType>>>("accreditations").Description("Accreditations and certifications held.");
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("languages").Description("ISO 639 codes.");
        Field<ListGraphType<NonNullGraphType<PopulationType>>>("populations").Description("Populations served specifically.");
        Field<ListGraphType<NonNullGraphType<ConditionType>>>("conditions").Description("Conditions treated.");
        Field(c => c.AcceptingNewPatients, nullable: true).Description("Whether new patients are taken.");
        Field(c => c.FreeConsultation, nullable: true).Description("Whether a first consultation is free.");
        Field(c => c.StateLicenseNumber, nullable: true).Description("The state licence number, as issued.");
    }
}

public sealed class PhoneInputType : InputObjectGraphType<PhoneInput>
{
    public PhoneInputType()
    {
        Name = "PhoneInput";
        Description = "One of the centre's own lines.";
        Field<NonNullGraphType<PhoneKindType>>("kind").Description("Main line or intake line.");
        Field(p => p.Number).Description("Any common US form: (480) 555-0100, 480-555-0100, +1 480 555 0100. Stored in E.164.");
        Field(p => p.Extension, nullable: true).Description("1 to 6 digits.");
    }
}

public sealed class InsuranceInputType : InputObjectGraphType<InsuranceInput>
{
    public InsuranceInputType()
    {
        Name = "InsuranceInput";
        Description = "How the centre can be paid: replaces payer types and in-network carriers.";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PayerTypeType>>>>("payerTypes").Description("Ways of paying accepted.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("carriers").Description("Carrier codes (see `taxonomy { carriers }`).");
    }
}

public sealed class SessionInputType : InputObjectGraphType<SessionInput>
{
    public SessionInputType()
    {
        Name = "SessionInput";
        Description = "A weekly session, in the centre's time zone.";
        Field<NonNullGraphType<DayOfWeekType>>("weekday").Description("The day of the week.");
        Field(s => s.StartsAt).Description("24-hour HH:mm.");
        Field(s => s.EndsAt).Description("24-hour HH:mm, after the start.");
    }
}

public sealed class TrackInputType : InputObjectGraphType<TrackInput>
{
    public TrackInputType()
    {
        Name = "TrackInput";
        Description = "A track (day, evening, weekend) and its weekly sessions.";
        Field<NonNullGraphType<TrackKindType>>("kind").Description("Day, evening or weekend.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SessionInputType>>>>("sessions").Description("Its weekly sessions (at least one).");
    }
}

public sealed class ProgramInputType : InputObjectGraphType<ProgramInput>
{
    public ProgramInputType()
    {
        Name = "ProgramInput";
        Description = "An IOP program. Without `programId` a program is created. Null fields stay as they are; `tracks`, when given, replace every track.";
        Field<IdGraphType>("programId").Description("The program to update; omit to create one.");
        Field(p => p.Name, nullable: true).Description("Required on create.");
        Field(p => p.Description, nullable: true).Description("What the program is, in a few sentences.");
        Field<FloatGraphType>("minHoursPerWeek").Description("Fewest hours a week.");
        Field<FloatGraphType>("maxHoursPerWeek").Description("Most hours a week (at most 60).");
        Field(p => p.MinDaysPerWeek, nullable: true).Description("Fewest days a week (1 to 7).");
        Field(p => p.MaxDaysPerWeek, nullable: true).Description("Most days a week (1 to 7).");
        Field(p => p.MinDurationWeeks, nullable: true).Description("Shortest duration, in weeks.");
        Field(p => p.MaxDurationWeeks, nullable: true).Description("Longest duration, in weeks (at most 104).");
        Field(p => p.MinAge, nullable: true).Description("Youngest age admitted.");
        Field(p => p.MaxAge, nullable: true).Description("Oldest age admitted.");
        Field(p => p.StepsDown, nullable: true).Description("Serves people stepping down from residential or inpatient care.");
        Field(p => p.InPerson, nullable: true).Description("Sessions held on site.");
        Field(p => p.Telehealth, nullable: true).Description("Sessions can be attended by video.");
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("services").Description("Service codes (see `taxonomy { services }`).");
        Field<ListGraphType<NonNullGraphType<TrackInputType>>>("tracks").Description("Every track of the program, replacing the current ones.");
    }
}

public sealed class HoursInputType : InputObjectGraphType<HoursInput>
{
    public HoursInputType()
    {
        Name = "AnswerHoursInput";
        Description = "A weekly window in which the line is answered, in the answering party's time zone.";
        Field<NonNullGraphType<DayOfWeekType>>("weekday").Description("The day of the week.");
        Field(h => h.OpensAt).Description("24-hour HH:mm.");
        Field(h => h.ClosesAt).Description("24-hour HH:mm, after the opening.");
    }
}

public sealed class CallRouteInputType : InputObjectGraphType<CallRouteInput>
{
    public CallRouteInputType()
    {
        Name = "CallRouteInput";
        Description = "A number displayed on the listing and where calls to it go. Without `routeId` a number is added.";
        Field<IdGraphType>("routeId").Description("The displayed number to change (`displayedNumbers { id }`); omit to add one.");
        Field(r => r.Number).Description("The number shown, any common US form.");
        Field<NonNullGraphType<DisplayedNumberKindType>>("kind").Description("Facility line, tracking number or directory hotline.");
        Field<NonNullGraphType<RouteDestinationKindType>>("destinationKind").Description("The centre itself, or a partner network.");
        Field(r => r.PartnerNetworkName, nullable: true).Description("Who answers, when a partner network does.");
        Field(r => r.DestinationNumber).Description("The line that rings; for the centre, one of its own `phones`.");
        Field(r => r.AnsweredAllHours).Description("Answered 24/7.");
        Field(r => r.AnswerTimeZone).Description("The answering party's IANA time zone.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<HoursInputType>>>>("hours").Description("Answering hours, unless answered 24/7.");
        Field(r => r.AfterHoursNumber, nullable: true).Description("Where calls go outside the hours.");
        Field(r => r.AfterHoursLabel, nullable: true).Description("What callers are told about the after-hours line.");
        Field(r => r.IsPaidPlacement).Description("A paid placement: the listing shows as sponsored, with the disclosure.");
        Field(r => r.Disclosure, nullable: true).Description("Required for paid placements and partner networks.");
        Field(r => r.CallbacksOffered).Description("Whether callers can ask to be called back.");
    }
}

public sealed class EditPayloadType : ObjectGraphType<EditPayload>
{
    public EditPayloadType()
    {
        Name = "EditPayload";
        Description = "The result of an editing mutation: the listing as saved (with its new `version`), or what is wrong with the input "
            + "(then nothing was saved).";
        Field<CenterType>("center").Description("The centre after the change; null when there are user errors.").Resolve(c => c.Source.Center);
        Field<IopProgramType>("program").Description("The program saved, for `saveProgram`.").Resolve(c => c.Source.Program);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("userErrors")
            .Description("What is wrong with the input; empty on success.").Resolve(c => c.Source.UserErrors);
    }
}

public sealed class AuditEntryType : ObjectGraphType<AuditEntry>
{
    public const string TypeName = "AuditEntry";

    public AuditEntryType()
    {
        Name = TypeName;
        Description = "One recorded change (in the spirit of Open Referral HSDS's metadata table).";
        Field<NonNullGraphType<IdGraphType>>("id").Description("The entry's number, increasing.").Resolve(c => c.Source.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Field<NonNullGraphType<IdGraphType>>("changeId").Description("Entries saved together (one mutation) share it.").Resolve(c => c.Source.ChangeId.ToString("N"));
        Field(a => a.ResourceType).Description("Center, Phone, Program, Track, TrackSession, InsurancePlan, CallRoute, AnswerHours.");
        Field(a => a.ResourceId).Description("The record's database id.");
        Field(a => a.Action).Description("CREATE, UPDATE or DELETE.");
        Field(a => a.Field, nullable: true).Description("The field changed (UPDATE only).");
        Field(a => a.OldValue, nullable: true).Description("The value before: for DELETE, the whole record as JSON.");
        Field(a => a.NewValue, nullable: true).Description("The value after: for CREATE, the whole record as JSON.");
        Field(a => a.Actor).Description("Who: the token's subject and role, or the importer.");
        Field(a => a.At).Description("When.");
    }
}

public sealed class AuditEntryConnectionType() : ConnectionGraphType<AuditEntryType, AuditEntry>(AuditEntryType.TypeName);
