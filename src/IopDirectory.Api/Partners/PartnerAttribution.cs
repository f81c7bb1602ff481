using IopDirectory.CallRouting;

namespace IopDirectory.Partners;

/// <summary>
/// Which numbers a listing shows to whom. A partner's tracking numbers are shown to that partner only, and on that
/// partner's view of the listing they take the place of the centre's own numbers, so its calls are attributed to it.
/// A number is swapped in only when it is a tracking number on that very listing that rings that very centre (the
/// trust rule: a centre's name is never shown beside a number that rings somewhere else); the directory hotline stays.
/// Everyone else, and the partner on listings it holds no number for, sees the listing unchanged.
/// </summary>
public static class PartnerAttribution
{
    public static IReadOnlyList<CallRoute> Shown(IEnumerable<CallRoute> routes, int centerId, Partner? viewer)
    {
        var all = routes as IReadOnlyCollection<CallRoute> ?? routes.ToList();
        var listing = all.Where(r => r.PartnerId is null).ToList();
        if (viewer is null) return listing;
        var partners = all.Where(r => r.PartnerId == viewer.Id && RingsListing(r, centerId)).ToList();
        return partners.Count == 0 ? listing : [.. partners, .. listing.Where(r => r.Kind == DisplayedNumberKind.DirectoryHotline)];
    }

    public static bool RingsListing(CallRoute route, int centerId) =>
        route.Kind == DisplayedNumberKind.TrackingNumber && route.CenterId == centerId
        && route.DestinationKind == RouteDestinationKind.Facility && route.DestinationCenterId == centerId;
}
