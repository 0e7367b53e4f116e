namespace OrleansChat.Tests.Infrastructure;

/// <summary>Where the repository and the build outputs of its other projects are, seen from the test assembly.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration the tests run under (Debug or Release), to run sibling projects built alike.</summary>
    public static string Configuration => new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;

    public static string Framework => new DirectoryInfo(AppContext.BaseDirectory).Name;

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    /// <summary>A project's built assembly, e.g. OutputOf("Cli", "OrleansChat.Cli.dll").</summary>
    public static string OutputOf(string project, string assembly) => Path(project, "bin", Configuration, Framework, assembly);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "OrleansChat.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("repository root (OrleansChat.sln) not found above " + AppContext.BaseDirectory);
    }
}
