using System.Globalization;
using System.Text;

namespace MlNetRnn.Transforms.Interpretability;

/// <summary>The result of <see cref="UnitSearch.Run"/>: for each property, the units that track it best.</summary>
/// <remarks>Immutable. The tables say how to read a score: a binary property's score is max(AUC, 1 − AUC), so a unit that
/// is low where the property holds counts as much as one that is high, and the direction column says which it is.</remarks>
public sealed class UnitSearchResult
{
    internal UnitSearchResult(int positions, IReadOnlyList<PropertyRanking> rankings)
    {
        Positions = positions;
        Rankings = rankings;
    }

    /// <summary>How many positions (characters) the units were scored on.</summary>
    public int Positions { get; }

    /// <summary>One ranking per property, in the order the properties were given.</summary>
    public IReadOnlyList<PropertyRanking> Rankings { get; }

    /// <summary>Formats the rankings as an aligned plain-text table for the console.</summary>
    /// <returns>The table, one row per (property, rank), followed by a note on reading the scores.</returns>
    public string ToText()
    {
        var rows = Rows();
        int[] widths = Enumerable.Range(0, Header.Length).Select(c => rows.Prepend(Header).Max(r => r[c].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows.Prepend(Header))
        {
            for (int c = 0; c < row.Length; c++)
            {
                // Numbers right-aligned, words left-aligned.
                bool right = c is 1 or 3 or 4;
                if (c + 1 == row.Length)
                    text.Append(row[c]);
                else
                    text.Append(right ? row[c].PadLeft(widths[c]) : row[c].PadRight(widths[c])).Append("  ");
            }
            text.Append('\n');
        }
        return text.Append(Note).Append('\n').ToString();
    }

    /// <summary>Formats the rankings as a Markdown table, for model cards and READMEs.</summary>
    /// <returns>The table, one row per (property, rank), followed by a note on reading the scores.</returns>
    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.Append("| ").AppendJoin(" | ", Header).Append(" |\n");
        text.Append("|---|---:|---|---:|---:|---|\n");
        foreach (var row in Rows())
            text.Append("| ").AppendJoin(" | ", row.Select(cell => cell.Replace("|", "\\|", StringComparison.Ordinal))).Append(" |\n");
        return text.Append('\n').Append(Note).Append('\n').ToString();
    }

    /// <inheritdoc/>
    public override string ToString() => ToText();

    private static readonly string[] Header = ["property", "rank", "track", "unit", "score", "direction"];

    private string Note => string.Create(CultureInfo.InvariantCulture,
        $"Scored on {Positions} positions. Binary properties: AUC = max(AUC, 1 - AUC), so a unit that is low where the property holds counts too (direction says which); numeric properties: Pearson r, ranked by |r|.");

    /// <summary>How a unit's score reads in tables and captions: ("AUC 0.973", "higher where it holds") or ("r -0.812", "falls as it rises").</summary>
    internal static (string Score, string Direction) Describe(CharPropertyKind kind, UnitScore unit)
    {
        bool binary = kind == CharPropertyKind.Binary;
        string score = binary
            ? string.Create(CultureInfo.InvariantCulture, $"AUC {unit.Score:F3}")
            : string.Create(CultureInfo.InvariantCulture, $"r {unit.Metric:+0.000;-0.000;0.000}");
        string direction = (binary, unit.Direction) switch
        {
            (true, UnitDirection.Higher) => "higher where it holds",
            (true, _) => "lower where it holds",
            (false, UnitDirection.Higher) => "rises with it",
            _ => "falls as it rises",
        };
        return (score, direction);
    }

    private List<string[]> Rows()
    {
        var rows = new List<string[]>();
        foreach (var ranking in Rankings)
        {
            for (int rank = 0; rank < ranking.Top.Count; rank++)
            {
                var unit = ranking.Top[rank];
                var (score, direction) = Describe(ranking.Property.Kind, unit);
                rows.Add([ranking.Property.Name, (rank + 1).ToString(CultureInfo.InvariantCulture), unit.Track,
                    unit.Unit.ToString(CultureInfo.InvariantCulture), score, direction]);
            }
        }
        return rows;
    }
}
