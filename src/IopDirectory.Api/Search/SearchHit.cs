using System.Diagnostics.CodeAnalysis;
using IopDirectory.Centers;
using IopDirectory.Programs;

namespace IopDirectory.Search;

/// <summary>
/// A centre as the nearest-first page statement returns it (<see cref="CenterSearch"/>): the centre's columns that the
/// selection reads (<see cref="PageRows"/>), its distance from the search point, and whether it holds the children the selection reads
/// (<see cref="PageChildren"/>, attached from the page's JSON).
/// </summary>
public sealed class SearchHit : Center, GraphQL.IRenderedFields
{
    /// <summary>An empty hit: <see cref="PageRows"/> sets the columns the page reads; the others keep these values.</summary>
    [SetsRequiredMembers]
    public SearchHit()
    {
        Name = "";
        Address = null!;
        Location = null!;
        TimeZone = "";
        Source = "";
        SourceId = "";
    }

    public double Meters { get; set; }

    /// <summary>True when <see cref="Center.Programs"/> holds the programs the page brought (with the columns the selection reads).</summary>
    public bool HasPrograms { get; set; }

    /// <summary>True when <see cref="Center.Phones"/> holds the phones the page brought (with the columns the selection reads).</summary>
    public bool HasPhones { get; set; }

    /// <summary>The phones as the selection writes them, when it can be written straight from the page (<see cref="RenderedChildren"/>).</summary>
    public RenderedRows? RenderedPhones { get; set; }

    /// <summary>The programs as the selection writes them, when it can be written straight from the page (<see cref="RenderedChildren"/>).</summary>
    public RenderedRows? RenderedPrograms { get; set; }

    public object? RenderedValue(GraphQLParser.AST.GraphQLField field) =>
        ReferenceEquals(RenderedPhones?.Plan.Field, field) ? RenderedPhones
        : ReferenceEquals(RenderedPrograms?.Plan.Field, field) ? RenderedPrograms
        : null;
}

/// <summary>A program a search page brought; <see cref="IopProgram.Tracks"/> holds its tracks when the selection reads them.</summary>
public sealed class SearchPageProgram : IopProgram;
