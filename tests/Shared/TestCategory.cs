namespace MlNetRnn.Tests;

/// <summary>
/// The trait that marks slow tests, so a developer can run the fast set alone:
/// <c>dotnet test MlNetRnn.sln -c Release --filter "Category!=Slow"</c>. CI runs all.
/// </summary>
/// <remarks>Compiled into every test project from <c>tests/Shared</c>. Use as <c>[Trait(TestCategory.Name, TestCategory.Slow)]</c>.</remarks>
internal static class TestCategory
{
    public const string Name = "Category";

    /// <summary>Takes over about a second, or starts processes (child processes, pack, build).</summary>
    public const string Slow = "Slow";
}
