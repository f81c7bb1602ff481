using GraphQL.Types;

namespace IopDirectory.Matching;

public static class MatchingOperations
{
    public static void AddMatchingQueries(this ObjectGraphType query)
    {
    }

    public static IServiceCollection AddMatching(this IServiceCollection services) => services;
}
