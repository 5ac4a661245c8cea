namespace MlNetRnn.Transforms.Tests;

/// <summary>
/// The trait that marks slow tests, so a developer can run the fast set alone:
/// <c>dotnet test MlNetRnn.sln -c Release --filter "Category!=Slow"</c>. CI runs all.
/// </summary>
internal static class TestCategory
{
    public const string Name = "Category";

    /// <summary>Over about a second, or starts processes (child processes, pack, build).</summary>
    public const string Slow = "Slow";
}
