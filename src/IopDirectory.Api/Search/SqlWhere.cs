using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace IopDirectory.Search;

/// <summary>A WHERE clause being built: SQL text joined with AND, and its parameters (never inlined values).</summary>
/// <param name="positional">
/// Placeholders <c>$1, $2...</c> with unnamed parameters, for a statement sent through Npgsql as it is (Npgsql then sends
/// the text unchanged instead of rewriting named placeholders on every execution); otherwise <c>@s_0...</c>, which EF
/// needs for the SQL it composes around <c>FromSql</c>.
/// </param>
public sealed class SqlWhere(bool positional = false)
{
    private readonly List<string> _clauses = [];

    public List<NpgsqlParameter> Parameters { get; } = [];

    /// <summary>A WHERE over <c>centers c</c> that starts with the rule every listing follows: retired centres are never listed.</summary>
    public static SqlWhere ListedCenters(bool positional = false)
    {
        var where = new SqlWhere(positional);
        where.Add("c.retired_at IS NULL");
        return where;
    }

    /// <summary>Adds a parameter and returns its placeholder.</summary>
    public string Parameter(object value, NpgsqlDbType? type = null)
    {
        var name = positional ? "" : $"s_{Parameters.Count}";
        var parameter = new NpgsqlParameter(name, value);
        if (type is { } t) parameter.NpgsqlDbType = t;
        Parameters.Add(parameter);
        return positional ? "$" + Parameters.Count : "@" + name;
    }

    public string TextArray(IEnumerable<string> values) => Parameter(values.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);

    public void Add(string clause) => _clauses.Add(clause);

    public string Sql => _clauses.Count == 0 ? "TRUE" : string.Join("\n  AND ", _clauses.Select(c => "(" + c + ")"));

    public bool IsEmpty => _clauses.Count == 0;

    /// <summary>The clause alone, as a separate WHERE whose parameters land in this builder.</summary>
    public string Group(Action<SqlWhere> build)
    {
        var inner = new SqlWhere(positional);
        inner.Parameters.AddRange(Parameters);
        build(inner);
        Parameters.Clear();
        Parameters.AddRange(inner.Parameters);
        return inner.Sql;
    }

    public override string ToString() => new StringBuilder(Sql).ToString();
}
