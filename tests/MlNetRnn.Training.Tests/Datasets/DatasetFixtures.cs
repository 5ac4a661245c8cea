namespace MlNetRnn.Training.Tests.Datasets;

/// <summary>
/// Small copies of the real data-set packages, committed under <c>Datasets/Fixtures</c> in the packages' own layout and
/// copied next to the test assembly, so the loaders are tested without npm or the network.
/// </summary>
internal static class DatasetFixtures
{
    /// <summary>The extracted package folder of fixture <paramref name="name"/> (<c>sentiment</c>, <c>brown</c>, <c>moby-dick</c>, <c>javascript</c>).</summary>
    public static string PackageDirectory(string name)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Datasets", "Fixtures", name, "package");
        return Directory.Exists(path) ? path : throw new DirectoryNotFoundException($"Fixture '{name}' not found at {path}.");
    }
}
