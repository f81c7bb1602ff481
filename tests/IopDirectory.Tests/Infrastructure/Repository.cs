namespace IopDirectory.Tests.Infrastructure;

public static class Repository
{
    /// <summary>The checkout's root: the folder holding IopDirectory.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>A file of the real data the tests read (tests/data, copied from ../shared/data so any clone has it).</summary>
    public static string TestData(params string[] parts) => Path.Combine([Root, "tests", "data", .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "IopDirectory.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Run the tests from inside the repository.");
    }
}
