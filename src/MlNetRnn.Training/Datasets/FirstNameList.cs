namespace MlNetRnn.Training.Datasets;

/// <summary>
/// English first names with their gender, as <see cref="FirstNames"/> loads them: the names of exactly one list, labelled,
/// and the names of both lists, kept apart.
/// </summary>
/// <remarks>Names are compared case-insensitively (ordinal, after lowercasing with the invariant culture).</remarks>
public sealed class FirstNameList
{
    private readonly HashSet<string> known;

    internal FirstNameList(IReadOnlyList<LabeledText> names, IReadOnlyList<string> inBothLists, int duplicatesDropped)
    {
        Names = names;
        InBothLists = inBothLists;
        DuplicatesDropped = duplicatesDropped;
        known = new HashSet<string>(names.Select(n => Key(n.Text)).Concat(inBothLists.Select(Key)), StringComparer.Ordinal);
    }

    /// <summary>
    /// The names of exactly one list, each once, the female list first, in file order: <see cref="LabeledText.Label"/> is the
    /// index in <see cref="FirstNames.Labels"/> and <see cref="LabeledText.Source"/> the list's label (<c>female</c> or <c>male</c>).
    /// </summary>
    public IReadOnlyList<LabeledText> Names { get; }

    /// <summary>The names that are in both lists (spelled as in the female list), in its order; left out of <see cref="Names"/>.</summary>
    public IReadOnlyList<string> InBothLists { get; }

    /// <summary>Repeated entries within one list, counted once each in <see cref="Names"/> or <see cref="InBothLists"/>.</summary>
    public int DuplicatesDropped { get; }

    /// <summary>Whether a name is in either list (including <see cref="InBothLists"/>), case-insensitively: "is a generated name new?".</summary>
    /// <param name="name">A name.</param>
    /// <returns><see langword="true"/> when the name is in the female or the male list.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    public bool Contains(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return known.Contains(Key(name));
    }

    /// <summary>The labelled names (<see cref="Names"/>) split 90 / 5 / 5 by <see cref="HashSplit"/> on the lowercased name.</summary>
    /// <returns>The three parts, each in the order of <see cref="Names"/>; a name is in exactly one part.</returns>
    public DataSplit<LabeledText> Split() => HashSplit.Split(Names, n => Key(n.Text));

    internal static string Key(string name) => name.ToLowerInvariant();
}
