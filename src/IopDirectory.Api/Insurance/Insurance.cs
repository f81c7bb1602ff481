using IopDirectory.Data;

namespace IopDirectory.Insurance;

/// <summary>How a centre can be paid (SAMHSA's PAY / PYAS categories).</summary>
public enum PayerType
{
    Medicaid,
    Medicare,
    PrivateInsurance,
    Military,
    StateFinanced,
    SelfPay,
    SlidingScale,
    PaymentAssistance,
    Free,
}

/// <summary>A named carrier (and optionally a plan) a centre is in network with.</summary>
public sealed class InsurancePlan : IValidatable
{
    public int Id { get; set; }
    public int CenterId { get; set; }

    /// <summary>A code from <see cref="Carriers"/>.</summary>
    public required string CarrierCode { get; set; }
    public string? PlanName { get; set; }

    public IEnumerable<ValidationError> Validate()
    {
        if (!Carriers.All.ContainsKey(CarrierCode))
            yield return new("insurancePlans.carrierCode", $"'{CarrierCode}' is not a known carrier code.", "UNKNOWN_CARRIER");
    }
}

public static class Carriers
{
    public static readonly IReadOnlyDictionary<string, string> All = new Dictionary<string, string>
    {
        ["AETNA"] = "Aetna",
        ["ANTHEM"] = "Anthem",
        ["BCBS"] = "Blue Cross Blue Shield",
        ["CIGNA"] = "Cigna",
        ["UNITEDHEALTHCARE"] = "UnitedHealthcare",
        ["HUMANA"] = "Humana",
        ["KAISER"] = "Kaiser Permanente",
        ["MAGELLAN"] = "Magellan Health",
        ["BEACON"] = "Beacon Health Options",
        ["TRICARE"] = "TRICARE",
        ["MOLINA"] = "Molina Healthcare",
        ["CENTENE"] = "Centene / Ambetter",
        ["OPTUM"] = "Optum",
        ["HEALTHNET"] = "Health Net",
    };
}
