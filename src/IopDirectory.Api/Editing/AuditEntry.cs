namespace IopDirectory.Editing;

/// <summary>
/// One recorded change, in the spirit of Open Referral HSDS's <c>metadata</c> table: which record, which field,
/// the value before and after, who and when. A centre's creation or removal is one entry with the whole record as
/// JSON; an update is one entry per changed field. Entries of one save share a <see cref="ChangeId"/>.
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public Guid ChangeId { get; set; }

    /// <summary>The centre the change belongs to (the record itself or its parent), for <c>auditLog(centerId)</c>.</summary>
    public int? CenterId { get; set; }

    /// <summary>Center, Phone, Program, Track, TrackSession, InsurancePlan, CallRoute.</summary>
    public required string ResourceType { get; set; }
    public required string ResourceId { get; set; }

    /// <summary>CREATE, UPDATE or DELETE.</summary>
    public required string Action { get; set; }

    /// <summary>The changed field (camelCase, as the API names it); null for CREATE and DELETE.</summary>
    public string? Field { get; set; }
    public string? OldValue { get; set; }
    public string? NewValue { get; set; }

    /// <summary>Who: a token's subject with its role ("alice (EDITOR)"), or an importer ("import:samhsa-csv").</summary>
    public required string Actor { get; set; }
    public DateTimeOffset At { get; set; }
}

/// <summary>An EDITOR account (a token subject) allowed to edit one centre: the centre's own staff.</summary>
public sealed class CenterEditor
{
    public int CenterId { get; set; }
    public required string Subject { get; set; }
    public DateTimeOffset AssignedAt { get; set; }
    public required string AssignedBy { get; set; }
}
