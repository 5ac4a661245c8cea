using System.Globalization;

namespace MlNetRnn.Training.Datasets;

/// <summary>
/// A split of Brown documents into training, validation and test parts, about 80/10/10 and stratified by genre, so that
/// no document has sentences on two sides.
/// </summary>
/// <param name="Train">The training documents.</param>
/// <param name="Validation">The validation documents.</param>
/// <param name="Test">The test documents.</param>
public sealed record BrownSplit(IReadOnlyList<BrownDocument> Train, IReadOnlyList<BrownDocument> Validation, IReadOnlyList<BrownDocument> Test)
{
    /// <summary>Splits documents by a fixed rule (no randomness), genre by genre.</summary>
    /// <param name="documents">The documents; ids must be unique.</param>
    /// <returns>The split; each part keeps genres in ordinal order and ids in ordinal order within a genre.</returns>
    /// <remarks>
    /// Within each genre the <c>n</c> documents are sorted by id (ordinal) and cut into <c>k = max(1, round(n / 10))</c> blocks
    /// of nearly equal size (block <c>j</c> ends at position <c>floor((j + 1) · n / k) − 1</c>, 0-based; midpoints round away from zero).
    /// The last document of each block goes to test, the one before it to validation, the rest to training; a genre of fewer than
    /// three documents goes wholly to training. On the whole corpus (500 documents, 15 genres) that gives 396 / 52 / 52 documents.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="documents"/> or one of them is null.</exception>
    /// <exception cref="ArgumentException">Two documents have the same id.</exception>
    public static BrownSplit ByDocument(IEnumerable<BrownDocument> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var all = documents.ToList();
        if (all.Any(d => d is null))
            throw new ArgumentNullException(nameof(documents), "Expected documents, got a null entry.");
        var duplicate = all.GroupBy(d => d.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"Expected unique document ids, got '{duplicate.Key}' {duplicate.Count()} times.", nameof(documents));

        var (train, validation, test) = (new List<BrownDocument>(), new List<BrownDocument>(), new List<BrownDocument>());
        foreach (var genre in all.GroupBy(d => d.Genre, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var sorted = genre.OrderBy(d => d.Id, StringComparer.Ordinal).ToList();
            int n = sorted.Count;
            var part = new List<BrownDocument>[n];
            Array.Fill(part, train);
            if (n >= 3)
            {
                int k = Math.Max(1, (int)Math.Round(n / 10.0, MidpointRounding.AwayFromZero));
                for (int j = 0; j < k; j++)
                {
                    int end = (int)((long)(j + 1) * n / k) - 1;
                    part[end] = test;
                    part[end - 1] = validation;
                }
            }
            for (int i = 0; i < n; i++)
                part[i].Add(sorted[i]);
        }
        return new BrownSplit(train, validation, test);
    }

    /// <summary>The split as text, one line per part: the part's name, its document count and its ids, for a model card or a log.</summary>
    /// <returns>Three lines: <c>train</c>, <c>validation</c>, <c>test</c>.</returns>
    public string Describe() => string.Join(Environment.NewLine,
        Line("train", Train), Line("validation", Validation), Line("test", Test));

    private static string Line(string name, IReadOnlyList<BrownDocument> part) =>
        string.Create(CultureInfo.InvariantCulture, $"{name} ({part.Count}): {string.Join(' ', part.Select(d => d.Id))}");
}
