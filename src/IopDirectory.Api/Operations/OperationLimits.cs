namespace IopDirectory.Operations;

/// <summary>
/// Limits that keep one client from taking the service down, section <c>Limits</c> (README "Operations").
/// Body size and batch size stay in <c>GraphQL</c> (<see cref="GraphQL.GraphQLHttpOptions"/>); page size is fixed at 100.
/// </summary>
public sealed class OperationLimits
{
    /// <summary>Deepest selection nesting a document may have (QUERY_TOO_DEEP).</summary>
    public int MaxDepth { get; set; } = 15;

    /// <summary>
    /// Highest cost the complexity analyzer may compute for a document (QUERY_TOO_COMPLEX): 1 a field, lists times
    /// `first`, or times 3 for a centre's short lists. A full page of 100 centres with programs, tracks and sessions
    /// costs about 11,000; twenty of them aliased in one document do not pass.
    /// </summary>
    public int MaxComplexity { get; set; } = 100_000;

    /// <summary>Most aliased fields in one operation, fragments expanded (TOO_MANY_ALIASES).</summary>
    public int MaxAliases { get; set; } = 30;

    /// <summary>Longest a request may run before it is answered 504 (REQUEST_TIMEOUT).</summary>
    public double RequestTimeoutSeconds { get; set; } = 30;

    public bool IsValid() => MaxDepth >= 1 && MaxComplexity >= 1 && MaxAliases >= 0 && RequestTimeoutSeconds > 0;
}

/// <summary>Settings of the database connection that are about faults, section <c>Database</c>.</summary>
public sealed class DatabaseFaultOptions
{
    /// <summary>Longest any SQL statement of the API may run (PostgreSQL <c>statement_timeout</c>); 0 turns it off.</summary>
    public double StatementTimeoutSeconds { get; set; } = 10;

    /// <summary>How long opening a connection may take before the request fails with SERVICE_UNAVAILABLE.</summary>
    public int ConnectTimeoutSeconds { get; set; } = 3;

    /// <summary>What <c>Retry-After</c> says when the database is unavailable.</summary>
    public int RetryAfterSeconds { get; set; } = 5;

    /// <summary>
    /// Most connections the API holds to PostgreSQL at once (Npgsql's <c>Maximum Pool Size</c>); unset, this machine's
    /// cores plus one. Requests beyond it wait for a connection (up to the connect timeout) instead of crowding the
    /// server: see <see cref="ConnectionDefaults"/>.
    /// </summary>
    public int? MaxPoolSize { get; set; }

    public static int DefaultMaxPoolSize => Environment.ProcessorCount + 1;
}
