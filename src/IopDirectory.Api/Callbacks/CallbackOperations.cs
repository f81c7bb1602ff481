using GraphQL;
using GraphQL.Types;
using IopDirectory.Auth;
using IopDirectory.GraphQL;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IopDirectory.Callbacks;

/// <summary>
/// "Let us call you": anyone may ask to be called back (rate limited per client address); only HOTLINE
/// reads the queue, claims a request and closes it with an outcome. Names and numbers never reach logs,
/// error messages or any field another role can read.
/// </summary>
public static class CallbackOperations
{
    public static void AddCallbackQueries(this ObjectGraphType query)
    {
        query.Field<NonNullGraphType<CallbackRequestConnectionType>>("callbackRequests")
            .Description("The call-back queue, oldest first (HOTLINE).")
            .Argument<CallbackStatusType>("status", "Only requests in this status; all when omitted.")
            .Argument<IntGraphType>("first", $"Return the first N requests (0 to {PageRequest.MaxPageSize}, default {PageRequest.DefaultPageSize}).")
            .Argument<StringGraphType>("after", "Return requests after this cursor.")
            .RequireRoles(Roles.Hotline)
            .ResolveAsync(async c =>
            {
                var first = c.GetArgument<int?>("first") ?? PageRequest.DefaultPageSize;
                if (first is < 0 or > PageRequest.MaxPageSize)
                    throw Errors.BadUserInput($"`first` must be between 0 and {PageRequest.MaxPageSize}.", "first");
                return await Desk(c).QueueAsync(c.GetArgument<CallbackStatus?>("status"), first, c.GetArgument<string?>("after"), c.CancellationToken);
            });
    }

    public static void AddCallbackMutations(this ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<RequestCallbackPayloadType>>("requestCallback")
            .Description("Asks the hotline to call a person back in a preferred window. Open to anyone, limited per client address "
                + "(over the limit: a RATE_LIMITED error with `retryAfterSeconds`). Input problems come back as `userErrors`; nothing is queued then.")
            .Argument<NonNullGraphType<RequestCallbackInputType>>("input", "Who to call, where, when, and their consent.")
            .ResolveAsync(async c =>
            {
                var services = c.RequestServices!;
                // Operators entering a request for a caller share an office address: they are not limited.
                if (!c.User.HasAnyRole([Roles.Hotline]))
                {
                    var address = services.GetService<IHttpContextAccessor>()?.HttpContext?.Connection.RemoteIpAddress;
                    var decision = services.GetRequiredService<CallbackRateLimiter>().TryAcquire(address);
                    if (!decision.Allowed)
                    {
                        services.GetRequiredService<ILogger<CallbackRateLimiter>>().LogWarning("Call-back request refused: rate limit reached");
                        var error = new ExecutionError($"Too many call-back requests from this address; try again in {decision.RetryAfterSeconds} seconds.")
                        {
                            Code = ErrorCodes.RateLimited,
                        };
                        error.Data["retryAfterSeconds"] = decision.RetryAfterSeconds;
                        throw error;
                    }
                }
                return await Desk(c).RequestAsync(c.GetArgument<RequestCallbackInput>("input"), c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<ClaimCallbackPayloadType>>("claimCallback")
            .Description("Takes an open call-back request for yourself (HOTLINE). CONFLICT when another operator has it.")
            .Argument<NonNullGraphType<IdGraphType>>("id", "The request's id.")
            .RequireRoles(Roles.Hotline)
            .ResolveAsync(async c => await Desk(c).ClaimAsync(c.GetArgument<string>("id"), Operator(c), c.CancellationToken));

        mutation.Field<NonNullGraphType<CloseCallbackPayloadType>>("closeCallback")
            .Description("Closes a request you claimed, with its outcome (HOTLINE).")
            .Argument<NonNullGraphType<IdGraphType>>("id", "The request's id.")
            .Argument<NonNullGraphType<CallbackOutcomeType>>("outcome", "How the call-back ended.")
            .RequireRoles(Roles.Hotline)
            .ResolveAsync(async c =>
                await Desk(c).CloseAsync(c.GetArgument<string>("id"), c.GetArgument<CallbackOutcome>("outcome"), Operator(c), c.CancellationToken));
    }

    public static IServiceCollection AddCallbacks(this IServiceCollection services)
    {
        services.AddOptions<CallbackOptions>()
            .BindConfiguration("Callbacks")
            .Validate(o => o.IsValid(), "Callbacks: MaxPerIpPerHour, WindowSeconds, MaxPreferredWindowDays and MaxLeadDays must be at least 1.")
            .ValidateOnStart();
        services.AddHttpContextAccessor();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<CallbackRateLimiter>();
        services.AddScoped<CallbackDesk>();
        services.AddScoped<CallbackLoaders>();
        return services;
    }

    private static CallbackDesk Desk(IResolveFieldContext context) => context.RequestServices!.GetRequiredService<CallbackDesk>();

    /// <summary>The operator's identity: the token's subject.</summary>
    private static string Operator(IResolveFieldContext context) =>
        context.User?.FindFirst("sub")?.Value is { Length: > 0 and <= 100 } subject
            ? subject
            : throw new ExecutionError("The bearer token has no usable subject (`sub`, 1 to 100 characters).") { Code = ErrorCodes.Forbidden };
}
