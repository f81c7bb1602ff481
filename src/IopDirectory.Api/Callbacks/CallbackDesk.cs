using System.Text.RegularExpressions;
using IopDirectory.Centers;
using IopDirectory.Data;
using IopDirectory.GraphQL;
using IopDirectory.Insurance;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IopDirectory.Callbacks;

/// <summary>
/// One problem with a mutation's input, returned in the payload's <c>userErrors</c> (nothing is written
/// when there is one). Messages never repeat what was sent: a caller's name or number must not travel
/// into error messages, screenshots or logs.
/// </summary>
public sealed record UserError(string? Field, string Message, string Code);

/// <summary>What <c>requestCallback</c> takes (the GraphQL input maps onto it).</summary>
public sealed class RequestCallbackInput
{
    public string Name { get; set; } = "";
    public string Phone { get; set; } = "";
    public string Zip { get; set; } = "";
    public DateTimeOffset PreferredFrom { get; set; }
    public DateTimeOffset PreferredUntil { get; set; }
    public PayerType? PayerType { get; set; }
    public string? Carrier { get; set; }
    public string? CenterId { get; set; }
    public bool Consent { get; set; }
}

/// <summary>A mutation's outcome: the request as it now stands, or the reasons nothing changed.</summary>
public sealed record CallbackPayload(CallbackRequest? CallbackRequest, IReadOnlyList<UserError> UserErrors)
{
    public static CallbackPayload Ok(CallbackRequest request) => new(request, []);

    public static CallbackPayload Fail(params UserError[] errors) => new(null, errors);
}

public static class CallbackErrorCodes
{
    public const string InvalidName = "INVALID_NAME";
    public const string InvalidPhone = "INVALID_PHONE";
    public const string InvalidPostalCode = "INVALID_POSTAL_CODE";
    public const string InvalidWindow = "INVALID_WINDOW";
    public const string WindowTooLong = "WINDOW_TOO_LONG";
    public const string WindowInPast = "WINDOW_IN_PAST";
    public const string WindowTooFar = "WINDOW_TOO_FAR";
    public const string ConsentRequired = "CONSENT_REQUIRED";
    public const string UnknownCarrier = "UNKNOWN_CARRIER";
    public const string InvalidId = "INVALID_ID";
    public const string NotFound = "NOT_FOUND";
    public const string Conflict = "CONFLICT";
    public const string NotClaimed = "NOT_CLAIMED";
    public const string ClaimedByAnother = "CLAIMED_BY_ANOTHER_OPERATOR";
    public const string AlreadyClosed = "ALREADY_CLOSED";
}

/// <summary>
/// The call-back desk: takes requests from the public, and lets hotline operators claim and close them.
/// Logs carry request ids and statuses only, never a name, number or ZIP.
/// </summary>
public sealed partial class CallbackDesk(DirectoryDbContext db, TimeProvider clock, IOptions<CallbackOptions> options, ILogger<CallbackDesk> logger)
{
    public const string TypeName = "CallbackRequest";

    /// <summary>Messages for the model's own rule codes, so an entity message can never echo input.</summary>
    private static readonly IReadOnlyDictionary<string, string> ModelMessages = new Dictionary<string, string>
    {
        [CallbackErrorCodes.InvalidName] = "Give a name of 1 to 100 characters.",
        [CallbackErrorCodes.InvalidPhone] = "Give a valid US phone number, with its area code.",
        [CallbackErrorCodes.InvalidPostalCode] = "Give a 5-digit ZIP code.",
        [CallbackErrorCodes.InvalidWindow] = "The preferred window must end after it starts.",
        [CallbackErrorCodes.ConsentRequired] = "We can only call back with explicit consent.",
        [CallbackErrorCodes.UnknownCarrier] = "The carrier is not one of the codes `taxonomy { carriers }` lists.",
    };

    public async Task<CallbackPayload> RequestAsync(RequestCallbackInput input, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = TruncateToMicroseconds(clock.GetUtcNow());
        var errors = new List<UserError>();

        var name = input.Name?.Trim() ?? "";
        if (name.Length is < 1 or > 100 || name.Any(char.IsControl))
            errors.Add(Error("name", CallbackErrorCodes.InvalidName));

        var phone = Rules.ToE164(input.Phone);
        if (phone is null || !phone.StartsWith("+1", StringComparison.Ordinal))
            errors.Add(Error("phone", CallbackErrorCodes.InvalidPhone));
        else if (HasExtension(input.Phone))
            errors.Add(new("phone", "Give a direct number: an extension cannot be dialled on a call-back.", CallbackErrorCodes.InvalidPhone));

        var zip = input.Zip?.Trim() ?? "";
        if (!ZipPattern().IsMatch(zip))
            errors.Add(Error("zip", CallbackErrorCodes.InvalidPostalCode));
        else
            zip = zip[..5];

        var from = input.PreferredFrom.ToUniversalTime();
        var until = input.PreferredUntil.ToUniversalTime();
        if (until <= from)
            errors.Add(Error("preferredUntil", CallbackErrorCodes.InvalidWindow));
        else if (until - from > TimeSpan.FromDays(settings.MaxPreferredWindowDays))
            errors.Add(new("preferredUntil", $"The preferred window may last at most {settings.MaxPreferredWindowDays} days.", CallbackErrorCodes.WindowTooLong));
        if (until <= now || from < now - TimeSpan.FromMinutes(settings.StartGraceMinutes))
            errors.Add(new("preferredFrom", "The preferred window must start now or later.", CallbackErrorCodes.WindowInPast));
        else if (from > now + TimeSpan.FromDays(settings.MaxLeadDays))
            errors.Add(new("preferredFrom", $"The preferred window must start within {settings.MaxLeadDays} days.", CallbackErrorCodes.WindowTooFar));

        string? carrier = null;
        if (!string.IsNullOrWhiteSpace(input.Carrier))
        {
            carrier = input.Carrier.Trim().ToUpperInvariant();
            if (!Carriers.All.ContainsKey(carrier))
                errors.Add(Error("carrier", CallbackErrorCodes.UnknownCarrier));
        }

        int? centerId = null;
        if (!string.IsNullOrEmpty(input.CenterId))
        {
            if (GlobalId.Decode(input.CenterId) is not { Type: CenterType.TypeName } decoded)
                errors.Add(new("centerId", "Not a centre id; pass a listing's `id`.", CallbackErrorCodes.InvalidId));
            else if (!await db.Centers.AnyAsync(c => c.Id == decoded.Id, cancellationToken))
                errors.Add(new("centerId", "No listing has this id.", CallbackErrorCodes.NotFound));
            else
                centerId = decoded.Id;
        }

        if (!input.Consent)
            errors.Add(Error("consent", CallbackErrorCodes.ConsentRequired));

        if (errors.Count > 0)
        {
            logger.LogInformation("Call-back request refused: {Codes}", string.Join(",", errors.Select(e => e.Code)));
            return new CallbackPayload(null, errors);
        }

        var request = new CallbackRequest
        {
            Name = name,
            Phone = phone!,
            PostalCode = zip,
            PreferredFrom = from,
            PreferredUntil = until,
            PayerType = input.PayerType,
            CarrierCode = carrier,
            CenterId = centerId,
            Consent = true,
            CreatedAt = now,
            Status = CallbackStatus.Open,
        };
        db.CallbackRequests.Add(request);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DirectoryValidationException validation)
        {
            db.Entry(request).State = EntityState.Detached;
            return new CallbackPayload(null, validation.Errors.Select(FromModel).ToList());
        }
        logger.LogInformation("Call-back request {CallbackId} queued", request.Id);
        return CallbackPayload.Ok(request);
    }

    /// <summary>The operator takes the request: nobody else can claim or close it afterwards.</summary>
    public async Task<CallbackPayload> ClaimAsync(string globalId, string operatorId, CancellationToken cancellationToken)
    {
        var (request, error) = await FindAsync(globalId, cancellationToken);
        if (request is null) return CallbackPayload.Fail(error!);

        switch (request.Status)
        {
            case CallbackStatus.Closed:
                return CallbackPayload.Fail(new UserError("id", "This request is already closed.", CallbackErrorCodes.AlreadyClosed));
            case CallbackStatus.Claimed when request.ClaimedBy == operatorId:
                return CallbackPayload.Ok(request); // claiming twice is harmless
            case CallbackStatus.Claimed:
                return CallbackPayload.Fail(Conflict());
        }

        request.Status = CallbackStatus.Claimed;
        request.ClaimedBy = operatorId;
        request.ClaimedAt = TruncateToMicroseconds(clock.GetUtcNow());
        try
        {
            // UPDATE ... WHERE id = @id AND xmin = @version: a claim committed since we read the row
            // changes xmin, so this one touches no row and EF throws.
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            logger.LogInformation("Call-back request {CallbackId}: concurrent claim lost", request.Id);
            return CallbackPayload.Fail(Conflict());
        }
        logger.LogInformation("Call-back request {CallbackId} claimed", request.Id);
        return CallbackPayload.Ok(request);
    }

    /// <summary>The operator who claimed the request records how it ended.</summary>
    public async Task<CallbackPayload> CloseAsync(string globalId, CallbackOutcome outcome, string operatorId, CancellationToken cancellationToken)
    {
        var (request, error) = await FindAsync(globalId, cancellationToken);
        if (request is null) return CallbackPayload.Fail(error!);

        switch (request.Status)
        {
            case CallbackStatus.Open:
                return CallbackPayload.Fail(new UserError("id", "Claim the request before closing it.", CallbackErrorCodes.NotClaimed));
            case CallbackStatus.Closed:
                return CallbackPayload.Fail(new UserError("id", "This request is already closed.", CallbackErrorCodes.AlreadyClosed));
            case CallbackStatus.Claimed when request.ClaimedBy != operatorId:
                return CallbackPayload.Fail(new UserError("id", "Only the operator who claimed this request can close it.", CallbackErrorCodes.ClaimedByAnother));
        }

        request.Status = CallbackStatus.Closed;
        request.Outcome = outcome;
        request.ClosedAt = TruncateToMicroseconds(clock.GetUtcNow());
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return CallbackPayload.Fail(new UserError("id", "The request changed while you were closing it; load it again.", CallbackErrorCodes.Conflict));
        }
        logger.LogInformation("Call-back request {CallbackId} closed with {Outcome}", request.Id, outcome);
        return CallbackPayload.Ok(request);
    }

    /// <summary>The queue, oldest first (ties by id), one keyset page at a time.</summary>
    public async Task<Connection<CallbackRequest>> QueueAsync(CallbackStatus? status, int first, string? after, CancellationToken cancellationToken)
    {
        IQueryable<CallbackRequest> all = db.CallbackRequests.AsNoTracking();
        if (status is { } s) all = all.Where(r => r.Status == s);

        var window = all;
        if (after is not null)
        {
            var (createdAt, id) = QueueCursor.Decode(after);
            window = window.Where(r => r.CreatedAt > createdAt || (r.CreatedAt == createdAt && r.Id > id));
        }
        var items = await window.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id).Take(first + 1).ToListAsync(cancellationToken);
        var more = items.Count > first;
        if (more) items.RemoveAt(first);

        var edges = items.Select(r => new Edge<CallbackRequest>(QueueCursor.Encode(r), r)).ToList();
        var pageInfo = new PageInfo(more, after is not null, edges.FirstOrDefault()?.Cursor, edges.LastOrDefault()?.Cursor);
        return new Connection<CallbackRequest>(edges, () => all.CountAsync(cancellationToken), pageInfo);
    }

    private async Task<(CallbackRequest? Request, UserError? Error)> FindAsync(string globalId, CancellationToken cancellationToken)
    {
        if (GlobalId.Decode(globalId) is not { Type: TypeName } decoded)
            return (null, new UserError("id", "Not a call-back request id.", CallbackErrorCodes.InvalidId));
        var request = await db.CallbackRequests.FirstOrDefaultAsync(r => r.Id == decoded.Id, cancellationToken);
        return request is null ? (null, new UserError("id", "No call-back request has this id.", CallbackErrorCodes.NotFound)) : (request, null);
    }

    private static UserError Conflict() =>
        new("id", "Another operator has already claimed this request.", CallbackErrorCodes.Conflict);

    private static UserError Error(string field, string code) => new(field, ModelMessages[code], code);

    private static UserError FromModel(ValidationError error) => new(
        error.Field == "preferredWindow" ? "preferredUntil" : error.Field,
        ModelMessages.GetValueOrDefault(error.Code, "This value is not valid."),
        error.Code);

    /// <summary>"480-555-0100 x12" parses (the extension is dropped from E.164): refuse it rather than call the wrong line.</summary>
    private static bool HasExtension(string raw)
    {
        try
        {
            var number = PhoneNumbers.PhoneNumberUtil.GetInstance().Parse(raw, "US");
            return number.HasExtension || ExtensionMarker().IsMatch(raw);
        }
        catch (PhoneNumbers.NumberParseException)
        {
            return true;
        }
    }

    /// <summary>PostgreSQL keeps microseconds; so do we, so cursors and echoes match what is stored.</summary>
    private static DateTimeOffset TruncateToMicroseconds(DateTimeOffset value) => value.AddTicks(-(value.Ticks % 10));

    [GeneratedRegex(@"(x|ext\.?|#)\s*\d*\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex ExtensionMarker();

    [GeneratedRegex(@"^\d{5}(-\d{4})?$")]
    private static partial Regex ZipPattern();
}

/// <summary>Queue cursors: base64url of "q:{createdAt unix microseconds}:{id}". Opaque to clients.</summary>
internal static class QueueCursor
{
    public static string Encode(CallbackRequest request)
    {
        var micros = (request.CreatedAt.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
        return System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"q:{micros}:{request.Id}")));
    }

    public static (DateTimeOffset CreatedAt, int Id) Decode(string cursor)
    {
        try
        {
            var text = cursor.Length <= 80 ? System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(cursor)) : "";
            var parts = text.Split(':');
            if (parts.Length == 3 && parts[0] == "q"
                && long.TryParse(parts[1], System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var micros)
                && int.TryParse(parts[2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
                && micros is > -62135596800000000 and < 253402300799999999)
                return (DateTimeOffset.UnixEpoch.AddTicks(micros * 10), id);
        }
        catch (FormatException)
        {
        }
        throw Errors.BadUserInput("`after` is not a cursor this list produced.", "after");
    }
}
