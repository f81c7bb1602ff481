using IopDirectory.Data;
using IopDirectory.Insurance;

namespace IopDirectory.Callbacks;

public enum CallbackStatus
{
    Open,
    Claimed,
    Closed,
}

public enum CallbackOutcome
{
    Reached,
    ReferredToProgram,
    LeftMessage,
    NoAnswer,
    WrongNumber,
    DeclinedHelp,
}

/// <summary>
/// A "let us call you" request. Holds a person's name and phone: only HOTLINE reads it, and neither
/// ever appears in logs or error messages.
/// </summary>
public sealed class CallbackRequest : IValidatable
{
    public int Id { get; set; }
    public required string Name { get; set; }

    /// <summary>E.164.</summary>
    public required string Phone { get; set; }
    public required string PostalCode { get; set; }

    /// <summary>The window the person prefers to be called in.</summary>
    public DateTimeOffset PreferredFrom { get; set; }
    public DateTimeOffset PreferredUntil { get; set; }
    public PayerType? PayerType { get; set; }
    public string? CarrierCode { get; set; }

    /// <summary>The listing the request was made from, if any.</summary>
    public int? CenterId { get; set; }
    public bool Consent { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public CallbackStatus Status { get; set; } = CallbackStatus.Open;
    public string? ClaimedBy { get; set; }
    public DateTimeOffset? ClaimedAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public CallbackOutcome? Outcome { get; set; }

    /// <summary>PostgreSQL's xmin, so two operators cannot claim the same request.</summary>
    public uint Version { get; set; }

    public IEnumerable<ValidationError> Validate()
    {
        if (string.IsNullOrWhiteSpace(Name) || Name.Length > 100)
            yield return new("name", "A name of 1 to 100 characters is needed.", "INVALID_NAME");
        if (!Rules.IsE164(Phone))
            yield return new("phone", "The phone number is not a valid number.", "INVALID_PHONE");
        if (PostalCode is null || !System.Text.RegularExpressions.Regex.IsMatch(PostalCode, @"^\d{5}$"))
            yield return new("zip", "The ZIP code must be 5 digits.", "INVALID_POSTAL_CODE");
        if (PreferredUntil <= PreferredFrom)
            yield return new("preferredWindow", "The preferred window must end after it starts.", "INVALID_WINDOW");
        if (!Consent)
            yield return new("consent", "We can only call back with explicit consent.", "CONSENT_REQUIRED");
        if (CarrierCode is not null && !Carriers.All.ContainsKey(CarrierCode))
            yield return new("carrier", $"'{CarrierCode}' is not a known carrier code.", "UNKNOWN_CARRIER");
    }
}
