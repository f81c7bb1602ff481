using Npgsql;

namespace IopDirectory.Tests.Infrastructure;

public static class LockWaiters
{
    /// <summary>Waits until at least <paramref name="count"/> sessions of the database wait for a lock (the API's queries behind one we hold).</summary>
    public static async Task WaitAsync(string connectionString, int count)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        long waiting = 0;
        for (var i = 0; i < 300; i++)
        {
            await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", connection);
            waiting = (long)(await command.ExecuteScalarAsync())!;
            if (waiting >= count) return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"{waiting} of the API's queries waited on the lock; expected {count}.");
    }
}
