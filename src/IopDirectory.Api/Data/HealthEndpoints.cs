using Microsoft.EntityFrameworkCore;

namespace IopDirectory.Data;

/// <summary>/health/live: the process answers. /health/ready: PostgreSQL and PostGIS answer too.</summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health/live", () => Results.Json(new { status = "live" }));
        app.MapGet("/health/ready", async (DirectoryDbContext db, CancellationToken cancellationToken) =>
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            try
            {
                var postgis = await db.Database.SqlQueryRaw<string>("SELECT postgis_lib_version() AS \"Value\"").SingleAsync(timeout.Token);
                return Results.Json(new { status = "ready", postgis });
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or OperationCanceledException or InvalidOperationException or TimeoutException)
            {
                return Results.Json(new { status = "unavailable" }, statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        });
        return app;
    }
}
