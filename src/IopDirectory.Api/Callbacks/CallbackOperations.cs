using GraphQL.Types;

namespace IopDirectory.Callbacks;

public static class CallbackOperations
{
    public static void AddCallbackQueries(this ObjectGraphType query)
    {
    }

    public static void AddCallbackMutations(this ObjectGraphType mutation)
    {
    }

    public static IServiceCollection AddCallbacks(this IServiceCollection services) => services;
}
