using GraphQL;
using GraphQL.Types;
using IopDirectory.Auth;
using IopDirectory.Centers;
using IopDirectory.Data;
using IopDirectory.GraphQL;
using IopDirectory.Insurance;
using IopDirectory.Taxonomy;
using Microsoft.EntityFrameworkCore;

namespace IopDirectory.Callbacks;

public sealed class CallbackStatusType : EnumerationGraphType<CallbackStatus>
{
    public CallbackStatusType()
    {
        Name = "CallbackStatus";
        Description = "Where a call-back request is in the hotline's queue.";
        Values["OPEN"]!.Description = "Waiting for an operator.";
        Values["CLAIMED"]!.Description = "An operator has taken it and will call.";
        Values["CLOSED"]!.Description = "Done; see the outcome.";
    }
}

public sealed class CallbackOutcomeType : EnumerationGraphType<CallbackOutcome>
{
    public CallbackOutcomeType()
    {
        Name = "CallbackOutcome";
        Description = "How a call-back ended.";
        Values["REACHED"]!.Description = "The operator spoke with the person.";
        Values["REFERRED_TO_PROGRAM"]!.Description = "The person was referred or transferred to a program.";
        Values["LEFT_MESSAGE"]!.Description = "A message was left.";
        Values["NO_ANSWER"]!.Description = "Nobody answered and no message could be left.";
        Values["WRONG_NUMBER"]!.Description = "The number did not reach the person.";
        Values["DECLINED_HELP"]!.Description = "The person no longer wanted help.";
    }
}

public sealed class UserErrorType : ObjectGraphType<UserError>
{
    public UserErrorType()
    {
        Name = "UserError";
        Description = "A problem with a mutation's input; when a payload has any, nothing was changed. Messages never repeat the input.";
        Field(e => e.Field, nullable: true).Description("The input field at fault, e.g. `phone`; null when the problem is not one field's.");
        Field(e => e.Message).Description("What is wrong, for people.");
        Field(e => e.Code).Description("What is wrong, for programs: INVALID_PHONE, CONSENT_REQUIRED, CONFLICT, NOT_FOUND...");
    }
}

public sealed class RequestCallbackInputType : InputObjectGraphType<RequestCallbackInput>
{
    public RequestCallbackInputType()
    {
        Name = "RequestCallbackInput";
        Description = "A person's request to be called back by the hotline. Only hotline operators ever see the name and number.";
        Field(i => i.Name).Description("How to address the person (1 to 100 characters).");
        Field(i => i.Phone).Description("The number to call, in any common US format: (480) 555-0100, 480-555-0100, +1 480 555 0100.");
        Field(i => i.Zip).Description("The person's 5-digit ZIP code (ZIP+4 is accepted and shortened).");
        Field(i => i.PreferredFrom).Description("Start of the window the person would like to be called in.");
        Field(i => i.PreferredUntil).Description("End of that window: after the start, in the future, at most 14 days after the start.");
        Field<PayerTypeType>("payerType").Description("How the person would pay, if they said.");
        Field(i => i.Carrier, nullable: true).Description("Their insurance carrier's code (see `taxonomy { carriers }`), if they said.");
        Field<IdGraphType>("centerId").Description("The listing the request was made from, if any (a `Center` id).");
        Field(i => i.Consent).Description("The person explicitly agrees to be called; must be true.");
    }
}

/// <summary>What an anonymous requester gets back: a reference and a status, never the name or number.</summary>
public sealed class CallbackReceiptType : ObjectGraphType<CallbackRequest>
{
    public CallbackReceiptType()
    {
        Name = "CallbackReceipt";
        Description = "Confirmation that a call-back request is queued. Holds no personal details.";
        Field<NonNullGraphType<IdGraphType>>("id").Description("The request's reference.")
            .Resolve(c => GlobalId.Encode(CallbackDesk.TypeName, c.Source.Id));
        Field<NonNullGraphType<CallbackStatusType>>("status").Description("The request's status.").Resolve(c => c.Source.Status);
        Field(r => r.CreatedAt).Description("When the request was received.");
    }
}

/// <summary>A request as the hotline works it. Personal fields are HOTLINE-only even if the type is reached some other way.</summary>
public sealed class CallbackRequestType : ObjectGraphType<CallbackRequest>
{
    public CallbackRequestType()
    {
        Name = CallbackDesk.TypeName;
        Description = "A \"let us call you\" request in the hotline's queue (HOTLINE only).";
        Field<NonNullGraphType<IdGraphType>>("id").Description("Global id; pass it to `claimCallback` and `closeCallback`.")
            .Resolve(c => GlobalId.Encode(CallbackDesk.TypeName, c.Source.Id));
        Field(r => r.Name).Description("How to address the person (HOTLINE only).").RequireRoles(Roles.Hotline);
        Field(r => r.Phone).Description("The number to call, E.164 (HOTLINE only).").RequireRoles(Roles.Hotline);
        Field<NonNullGraphType<StringGraphType>>("phoneDisplay").Description("The number to call, formatted for dialling in the US (HOTLINE only).")
            .RequireRoles(Roles.Hotline)
            .Resolve(c => Rules.FormatNational(c.Source.Phone));
        Field<NonNullGraphType<StringGraphType>>("zip").Description("The person's ZIP code (HOTLINE only).")
            .RequireRoles(Roles.Hotline)
            .Resolve(c => c.Source.PostalCode);
        Field(r => r.PreferredFrom).Description("Start of the window the person would like to be called in.");
        Field(r => r.PreferredUntil).Description("End of that window.");
        Field<PayerTypeType>("payerType").Description("How the person would pay, if they said.").Resolve(c => c.Source.PayerType);
        Field<TaxonomyTermType>("carrier").Description("Their insurance carrier, if they said.")
            .Resolve(c => c.Source.CarrierCode is { } code ? new TaxonomyTerm(code, Carriers.All.GetValueOrDefault(code, code)) : null);
        Field<CenterType>("center").Description("The listing the request was made from, if any.")
            .Resolve(c => c.Source.CenterId is { } id
                ? c.RequestServices!.GetRequiredService<CallbackLoaders>().Centers.Load(id).Then(found => found.FirstOrDefault())
                : null);
        Field<NonNullGraphType<CallbackStatusType>>("status").Description("Where the request is in the queue.").Resolve(c => c.Source.Status);
        Field(r => r.ClaimedBy, nullable: true).Description("The operator (token subject) who claimed it.");
        Field(r => r.ClaimedAt, nullable: true).Description("When it was claimed.");
        Field(r => r.ClosedAt, nullable: true).Description("When it was closed.");
        Field<CallbackOutcomeType>("outcome").Description("How it ended, once closed.").Resolve(c => c.Source.Outcome);
        Field(r => r.CreatedAt).Description("When the request was received; the queue is in this order.");
    }
}

public sealed class CallbackRequestConnectionType() : ConnectionGraphType<CallbackRequestType, CallbackRequest>(CallbackDesk.TypeName);

public sealed class RequestCallbackPayloadType : ObjectGraphType<CallbackPayload>
{
    public RequestCallbackPayloadType()
    {
        Name = "RequestCallbackPayload";
        Description = "The result of `requestCallback`: a receipt, or why nothing was queued.";
        Field<CallbackReceiptType>("callbackRequest").Description("The queued request; null when there are user errors.").Resolve(c => c.Source.CallbackRequest);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("userErrors")
            .Description("What is wrong with the input; empty on success.").Resolve(c => c.Source.UserErrors);
    }
}

public sealed class ClaimCallbackPayloadType : ObjectGraphType<CallbackPayload>
{
    public ClaimCallbackPayloadType()
    {
        Name = "ClaimCallbackPayload";
        Description = "The result of `claimCallback`.";
        Field<CallbackRequestType>("callbackRequest").Description("The request, now claimed by you; null when there are user errors.").Resolve(c => c.Source.CallbackRequest);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("userErrors")
            .Description("Why the claim failed (CONFLICT when another operator has it); empty on success.").Resolve(c => c.Source.UserErrors);
    }
}

public sealed class CloseCallbackPayloadType : ObjectGraphType<CallbackPayload>
{
    public CloseCallbackPayloadType()
    {
        Name = "CloseCallbackPayload";
        Description = "The result of `closeCallback`.";
        Field<CallbackRequestType>("callbackRequest").Description("The request, now closed; null when there are user errors.").Resolve(c => c.Source.CallbackRequest);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("userErrors")
            .Description("Why the request could not be closed; empty on success.").Resolve(c => c.Source.UserErrors);
    }
}

/// <summary>Per-request batch loader: the centres of a page of call-back requests in one statement.</summary>
public sealed class CallbackLoaders(DirectoryDbContext db)
{
    public BatchLoader<int, Center> Centers { get; } = new(async (ids, ct) =>
        (await db.Centers.AsNoTracking().Where(c => ids.Contains(c.Id)).ToListAsync(ct)).ToLookup(c => c.Id));
}
