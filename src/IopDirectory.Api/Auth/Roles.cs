namespace IopDirectory.Auth;

/// <summary>The roles a bearer token can carry (claim "role").</summary>
public static class Roles
{
    public const string Admin = "ADMIN";
    public const string Hotline = "HOTLINE";
    public const string Partner = "PARTNER";
    public const string Editor = "EDITOR";

    public static readonly IReadOnlyList<string> All = [Admin, Hotline, Partner, Editor];
}
