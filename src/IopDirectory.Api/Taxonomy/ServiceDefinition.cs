namespace IopDirectory.Taxonomy;

/// <summary>One service a program can offer. The catalogue is reference data, seeded by the migrations.</summary>
public sealed class ServiceDefinition
{
    public required string Code { get; init; }
    public required string Label { get; init; }
    public required ServiceCategory Category { get; init; }

    /// <summary>The SAMHSA locator service code (FindTreatment.gov) where one exists.</summary>
    public string? SamhsaCode { get; init; }
}
