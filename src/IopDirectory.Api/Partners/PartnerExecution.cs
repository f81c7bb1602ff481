using System.Net;
using GraphQL;
using GraphQL.DI;
using GraphQL.Execution;
using GraphQL.Validation.Complexity;
using IopDirectory.Centers;
using IopDirectory.Data;
using IopDirectory.GraphQL;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IopDirectory.Partners;

/// <summary>
/// Around every GraphQL operation: partners restricted to trusted documents run nothing else; the operation's cost
/// (computed by the complexity analyzer on every request, cached documents included) is taken from the caller's token
/// bucket before anything executes, and reported in <c>extensions.cost</c> (Shopify's shape); a partner's requests
/// and the listings it was shown are counted by day.
/// </summary>
public sealed class PartnerExecution(CostLimiter limiter, IOptions<CostLimitOptions> options, TimeProvider clock) : IConfigureExecution
{
    public const string RefusedCode = ErrorCodes.RateLimited;
    public const string MaxCostExceededCode = "MAX_COST_EXCEEDED";
    public const string TrustedDocumentsOnlyCode = "TRUSTED_DOCUMENTS_ONLY";
    private const string TicketKey = "iop:cost";

    /// <summary>Before the persisted-document handler (which turns a document id into its text) and the document cache.</summary>
    public float SortOrder => 50;

    public async Task<ExecutionResult> ExecuteAsync(ExecutionOptions executionOptions, ExecutionDelegate next)
    {
        var services = executionOptions.RequestServices!;
        var partner = services.GetRequiredService<PartnerRequest>();
        if (partner.Partner is { TrustedDocumentsOnly: true } && executionOptions.DocumentId is null)
            return Refuse(TrustedDocumentsOnlyCode, "This key runs trusted documents only: send `documentId` (sha256:...) instead of `query`.");

        var ticket = new CostTicket(Bucket(services, partner, executionOptions.User));
        executionOptions.UserContext[TicketKey] = ticket;
        var result = await next(executionOptions);

        if (ticket.Refusal is { } refusal)
        {
            result = refusal.RetryAfterSeconds > 0
                ? Refuse(RefusedCode, $"Query cost {ticket.RequestedCost:0} is more than the {refusal.Status.CurrentlyAvailable:0} points available; try again in {refusal.RetryAfterSeconds} seconds.", refusal.RetryAfterSeconds)
                : Refuse(MaxCostExceededCode, $"Query cost {ticket.RequestedCost:0} is more than this client's bucket holds ({refusal.Status.MaximumAvailable:0}): ask for fewer items.");
            if (refusal.RetryAfterSeconds > 0 && services.GetService<IHttpContextAccessor>()?.HttpContext is { } http)
                http.Response.Headers.RetryAfter = refusal.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        result.Extensions ??= new Dictionary<string, object?>();
        var status = ticket.Status ?? (ticket.Bucket is { } b ? limiter.Peek(b.Key, b.Size) : null);
        result.Extensions["cost"] = new Dictionary<string, object?>
        {
            ["requestedQueryCost"] = ticket.RequestedCost,
            ["throttleStatus"] = status is { } s
                ? new Dictionary<string, object?>
                {
                    ["maximumAvailable"] = s.MaximumAvailable,
                    ["currentlyAvailable"] = Math.Floor(s.CurrentlyAvailable),
                    ["restoreRate"] = s.RestoreRate,
                }
                : null,
        };

        if (partner.Partner is { } p)
            await RecordUsageAsync(services.GetRequiredService<DirectoryDbContext>(), p.Id, result.Executed ? CountListings(result.Data as ExecutionNode) : 0, executionOptions.CancellationToken);
        return result;
    }

    /// <summary>The complexity analyzer's delegate: takes the operation's cost from the caller's bucket.</summary>
    public static Task ValidateComplexityAsync(ComplexityValidationContext context)
    {
        if (context.Error is not null || context.ValidationContext.UserContext.TryGetValue(TicketKey, out var value) is false || value is not CostTicket ticket)
            return Task.CompletedTask;
        ticket.RequestedCost = Math.Ceiling(context.TotalImpact);
        if (ticket.Bucket is not { } bucket) return Task.CompletedTask;
        var limiter = context.ValidationContext.RequestServices!.GetRequiredService<CostLimiter>();
        var decision = ticket.RequestedCost > bucket.Size.MaximumAvailable
            ? new CostDecision(false, limiter.Peek(bucket.Key, bucket.Size), 0)
            : limiter.TryTake(bucket.Key, bucket.Size, ticket.RequestedCost);
        ticket.Status = decision.Status;
        if (!decision.Allowed)
        {
            ticket.Refusal = decision;
            // Stops execution; the message is replaced by the RATE_LIMITED error once validation returns.
            context.Error = new global::GraphQL.Validation.ValidationError("rate limited");
        }
        return Task.CompletedTask;
    }

    /// <summary>True for an operation refused by the limiter (the endpoint answers 429).</summary>
    public static bool IsRateLimited(ExecutionResult result) =>
        !result.Executed && result.Errors?.Any(e => e.Code == RefusedCode) == true;

    private (string Key, BucketOptions Size)? Bucket(IServiceProvider services, PartnerRequest partner, System.Security.Claims.ClaimsPrincipal? user)
    {
        var settings = options.Value;
        var address = services.GetService<IHttpContextAccessor>()?.HttpContext?.Connection.RemoteIpAddress;
        if (partner.Key is null && settings.ExemptLoopback && (address is null || IPAddress.IsLoopback(address)))
            return null;
        return (CostLimiter.KeyOf(partner, user, address), partner.Key is null ? settings.Anonymous : settings.Partner);
    }

    private static ExecutionResult Refuse(string code, string message, int retryAfterSeconds = 0)
    {
        var error = new ExecutionError(message) { Code = code };
        if (retryAfterSeconds > 0) error.Data["retryAfterSeconds"] = retryAfterSeconds;
        return new ExecutionResult { Errors = [error], Executed = false };
    }

    /// <summary>Distinct centres in the response: the listings the partner was shown.</summary>
    internal static int CountListings(ExecutionNode? root)
    {
        if (root is null) return 0;
        var seen = new HashSet<int>();
        var pending = new Stack<ExecutionNode>([root]);
        while (pending.TryPop(out var node))
        {
            if (node.Result is Center center) seen.Add(center.Id);
            if (node is IParentExecutionNode parent)
                foreach (var child in parent.GetChildNodes()) pending.Push(child);
        }
        return seen.Count;
    }

    private async Task RecordUsageAsync(DirectoryDbContext db, int partnerId, int listings, CancellationToken cancellationToken)
    {
        var day = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO partner_usage (partner_id, day, requests, listings_shown) VALUES ({partnerId}, {day}, 1, {(long)listings})
            ON CONFLICT (partner_id, day) DO UPDATE SET requests = partner_usage.requests + 1,
                listings_shown = partner_usage.listings_shown + excluded.listings_shown
            """, cancellationToken);
    }

    private sealed class CostTicket((string Key, BucketOptions Size)? bucket)
    {
        public (string Key, BucketOptions Size)? Bucket { get; } = bucket;
        public double RequestedCost { get; set; }
        public ThrottleStatus? Status { get; set; }
        public CostDecision? Refusal { get; set; }
    }
}
