using System.Security.Claims;
using GraphQL;
using GraphQL.Builders;
using GraphQL.Types;
using IopDirectory.GraphQL;

namespace IopDirectory.Auth;

/// <summary>
/// Field-level authorization: a field marked with <see cref="RequireRoles{TSource,TReturn}"/> resolves only
/// for a user holding one of the roles; otherwise the field is null with UNAUTHENTICATED (no or bad
/// token) or FORBIDDEN (wrong role), and its resolver never runs. The check is that field's own middleware: the
/// fields without roles (nearly all, and every field of a search page) run their resolvers with nothing around them.
/// </summary>
public static class Authorization
{
    public const string RolesKey = "iop:roles";

    public static FieldBuilder<TSource, TReturn> RequireRoles<TSource, TReturn>(this FieldBuilder<TSource, TReturn> field, params string[] roles)
    {
        field.FieldType.WithMetadata(RolesKey, roles);
        field.FieldType.ApplyMiddleware(next => context =>
        {
            Demand(context, roles);
            return next(context);
        });
        return field;
    }

    public static string[]? RequiredRoles(this FieldType field) => field.GetMetadata<string[]?>(RolesKey);

    public static bool HasAnyRole(this ClaimsPrincipal? user, IEnumerable<string> roles) =>
        user?.Identity?.IsAuthenticated == true && roles.Any(user.IsInRole);

    public static void Demand(IResolveFieldContext context, string[] roles)
    {
        if (context.User?.Identity?.IsAuthenticated != true)
            throw new ExecutionError($"Sign in with a bearer token holding one of: {string.Join(", ", roles)}.") { Code = ErrorCodes.Unauthenticated };
        if (!context.User.HasAnyRole(roles))
            throw new ExecutionError($"This needs one of the roles {string.Join(", ", roles)}.") { Code = ErrorCodes.Forbidden };
    }
}
