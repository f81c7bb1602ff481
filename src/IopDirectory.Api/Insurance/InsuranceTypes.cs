using GraphQL.Types;

namespace IopDirectory.Insurance;

public sealed class InsurancePlanType : ObjectGraphType<InsurancePlan>
{
    public InsurancePlanType()
    {
        Name = "InsurancePlan";
        Description = "A named carrier, and optionally one of its plans, that a centre is in network with.";
        Field(p => p.CarrierCode).Description("The carrier's code, as filters take it.");
        Field<NonNullGraphType<StringGraphType>>("carrierName").Description("The carrier's name.")
            .Resolve(c => Carriers.All.GetValueOrDefault(c.Source.CarrierCode, c.Source.CarrierCode));
        Field(p => p.PlanName, nullable: true).Description("The plan, when only some of the carrier's plans are accepted.");
    }
}
