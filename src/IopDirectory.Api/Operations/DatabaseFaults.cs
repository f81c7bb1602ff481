using GraphQL;
using GraphQL.Execution;
using IopDirectory.GraphQL;
using Microsoft.Extensions.Options;
using Npgsql;

namespace IopDirectory.Operations;

/// <summary>What went wrong with the database under a resolver, as far as a client needs to know.</summary>
public enum DatabaseFault
{
    /// <summary>Not a database fault we know: a bug, reported as INTERNAL_SERVER_ERROR.</summary>
    None,

    /// <summary>The database could not be reached or went away: SERVICE_UNAVAILABLE, 503, Retry-After.</summary>
    Unavailable,

    /// <summary>A statement ran past <c>statement_timeout</c>: STATEMENT_TIMEOUT.</summary>
    StatementTimeout,

    /// <summary>A write reached a read-only standby (an API deployed for reads): READ_ONLY_REPLICA.</summary>
    ReadOnly,
}

/// <summary>
/// Turns the database's faults into errors a client can act on. Only faults of reaching the database count as
/// "unavailable" (connection refused or timed out, the connection dropped, the server shutting down or still
/// starting, no connection slot free); a statement the server rejects (a missing table, a constraint, bad SQL) is
/// a bug and stays INTERNAL_SERVER_ERROR.
/// </summary>
public static class DatabaseFaults
{
    public const string StatementTimeoutCode = "STATEMENT_TIMEOUT";
    public const string ReadOnlyCode = "READ_ONLY_REPLICA";

    public static DatabaseFault Classify(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                // A request the client gave up on (or the request timeout) is not the database's fault.
                case OperationCanceledException:
                    return DatabaseFault.None;
                case PostgresException { SqlState: PostgresErrorCodes.QueryCanceled }:
                    return DatabaseFault.StatementTimeout;
                case PostgresException { SqlState: PostgresErrorCodes.ReadOnlySqlTransaction }:
                    return DatabaseFault.ReadOnly;
                case PostgresException postgres:
                    return postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
                        || postgres.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown
                            or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections
                        ? DatabaseFault.Unavailable
                        : DatabaseFault.None;
                // Npgsql's own exceptions (not the server's): connect failures, broken streams, timeouts, an exhausted pool.
                case NpgsqlException:
                    return DatabaseFault.Unavailable;
            }
        }
        return DatabaseFault.None;
    }

    /// <summary>
    /// For the GraphQL unhandled-exception handler: replaces a database fault with its client error and returns
    /// true; leaves anything else alone and returns false.
    /// </summary>
    public static bool Translate(UnhandledExceptionContext context)
    {
        var fault = Classify(context.OriginalException);
        if (fault == DatabaseFault.None) return false;

        var services = context.ExecutionOptions.RequestServices;
        var logger = services?.GetService<ILoggerFactory>()?.CreateLogger("IopDirectory.Operations.DatabaseFaults");
        var field = context.FieldContext?.FieldDefinition.Name;
        if (fault == DatabaseFault.StatementTimeout)
        {
            var seconds = services?.GetService<IOptions<DatabaseFaultOptions>>()?.Value.StatementTimeoutSeconds;
            logger?.LogWarning("Statement timeout in {Field}", field);
            context.Exception = new ExecutionError($"The database took longer than {seconds} seconds on this request and stopped it; narrow the request.")
            {
                Code = StatementTimeoutCode,
            };
            return true;
        }

        if (fault == DatabaseFault.ReadOnly)
        {
            logger?.LogWarning("Write refused by a read-only database in {Field}", field);
            context.Exception = new ExecutionError("This API serves reads only (its database is a read replica); send writes to the primary's API.")
            {
                Code = ReadOnlyCode,
            };
            return true;
        }

        var retryAfter = services?.GetService<IOptions<DatabaseFaultOptions>>()?.Value.RetryAfterSeconds ?? 5;
        logger?.LogWarning("Database unavailable in {Field}: {Fault}", field, Describe(context.OriginalException));
        // Connections in the pool may be dead (the server restarted): drop the idle ones now, so the first
        // request after the database returns gets a fresh connection instead of a broken one.
        NpgsqlConnection.ClearAllPools();
        var error = new ExecutionError($"The directory database is unavailable; try again in {retryAfter} seconds.")
        {
            Code = ErrorCodes.ServiceUnavailable,
        };
        error.Data["retryAfterSeconds"] = retryAfter;
        context.Exception = error;
        return true;
    }

    /// <summary>
    /// Gives the HTTP response 503 and <c>Retry-After</c> when any operation failed for want of the database.
    /// </summary>
    public static void ApplyHttpStatus(HttpContext http, IEnumerable<ExecutionResult> results)
    {
        var unavailable = results
            .SelectMany(r => r.Errors ?? (IEnumerable<ExecutionError>)[])
            .FirstOrDefault(e => e.Code == ErrorCodes.ServiceUnavailable);
        if (unavailable is null) return;
        http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        http.Response.Headers.RetryAfter = (unavailable.Data["retryAfterSeconds"] ?? 5).ToString();
    }

    /// <summary>Exception types and SQL states only: no messages that could carry statement text.</summary>
    private static string Describe(Exception exception)
    {
        var parts = new List<string>();
        for (var e = exception; e is not null; e = e.InnerException)
            parts.Add(e is PostgresException p ? $"{e.GetType().Name} {p.SqlState}" : e.GetType().Name);
        return string.Join(" <- ", parts);
    }
}
