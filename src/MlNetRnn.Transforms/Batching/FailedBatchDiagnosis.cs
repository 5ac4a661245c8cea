using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.ML.OnnxRuntime;

namespace MlNetRnn.Transforms.Batching;

/// <summary>
/// Turns an ONNX Runtime failure on a batch into an error that names the rows causing it: the batch's rows are scored
/// again in halves, down to single rows, and the rows that fail alone are named (with the token when ONNX Runtime names an
/// index it refused, as Gather does for an id outside the embedding table).
/// </summary>
internal static partial class FailedBatchDiagnosis
{
    private const int MaxNamedRows = 10;

    /// <summary>Finds the rows of <paramref name="batch"/> that ONNX Runtime fails on and returns the error naming them.</summary>
    /// <param name="runner">A runner free to use (the one that failed).</param>
    /// <param name="batch">The batch that failed.</param>
    /// <param name="order">The planner's order, which <paramref name="batch"/> indexes.</param>
    /// <param name="window">The window's ids.</param>
    /// <param name="results">Scratch results; rows scored again here overwrite their own entries only.</param>
    /// <param name="rowIndices">Each window row's index in the input.</param>
    /// <param name="columnName">The token column.</param>
    /// <param name="error">ONNX Runtime's error on the whole batch.</param>
    public static InvalidOperationException Explain(BatchRunner runner, SequenceBatch batch, ReadOnlySpan<int> order, TokenWindow window,
        WindowResults results, ReadOnlySpan<long> rowIndices, string columnName, OnnxRuntimeException error)
    {
        int[] rows = order.Slice(batch.Start, batch.Count).ToArray();
        var failing = new List<(int Row, OnnxRuntimeException Error)>();
        if (rows.Length == 1)
            failing.Add((rows[0], error));
        else
            FindFailing(runner, rows, window, results, failing);

        string context = string.Create(CultureInfo.InvariantCulture, $"in a batch of {batch.Count} rows padded to length {batch.PaddedLength}");
        if (failing.Count == 0)
        {
            return new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"Column '{columnName}': ONNX Runtime failed {context} (rows {List([.. rows.Order()], rowIndices)}), but on none of these rows scored in smaller batches: {error.Message}"), error);
        }

        // Window rows are in input order, so sorting by window row sorts by input row.
        var named = failing.OrderBy(f => f.Row).ToArray();
        var (row, rowError) = named[0];
        string firstRow = string.Create(CultureInfo.InvariantCulture, $"{rowIndices[row]}, column '{columnName}'{Token(window.Row(row), rowError)}");
        string message = named.Length == 1
            ? $"Row {firstRow}: ONNX Runtime failed on this row ({context}): {rowError.Message}"
            : $"Rows {List(named.Select(f => f.Row).ToArray(), rowIndices)}, column '{columnName}': ONNX Runtime failed on each of these rows alone ({context}); row {firstRow}: {rowError.Message}";
        return new InvalidOperationException(message, error);
    }

    /// <summary>Adds the rows of <paramref name="rows"/>, known to fail together, that fail alone.</summary>
    private static void FindFailing(BatchRunner runner, ArraySegment<int> rows, TokenWindow window, WindowResults results, List<(int, OnnxRuntimeException)> failing)
    {
        int half = rows.Count / 2;
        foreach (var part in new[] { rows[..half], rows[half..] })
        {
            if (failing.Count >= MaxNamedRows)
                return;
            if (TryRun(runner, part, window, results) is not { } error)
                continue;
            if (part.Count == 1)
                failing.Add((part[0], error));
            else
                FindFailing(runner, part, window, results, failing);
        }
    }

    private static OnnxRuntimeException? TryRun(BatchRunner runner, ArraySegment<int> rows, TokenWindow window, WindowResults results)
    {
        int longest = 1;
        foreach (int row in rows)
            longest = Math.Max(longest, window.Length(row));
        try
        {
            runner.Run(new SequenceBatch(0, rows.Count, longest), rows, window, results);
            return null;
        }
        catch (OnnxRuntimeException e)
        {
            return e;
        }
    }

    /// <summary>", token t: id n" when ONNX Runtime's message names an index (<c>idx=n</c>) that is one of the row's ids.</summary>
    private static string Token(ReadOnlySpan<long> ids, OnnxRuntimeException error)
    {
        var match = IndexPattern().Match(error.Message);
        if (!match.Success || !long.TryParse(match.Groups[1].ValueSpan, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long id))
            return string.Empty;
        int position = ids.IndexOf(id);
        return position < 0 ? string.Empty : string.Create(CultureInfo.InvariantCulture, $", token {position}: id {id}");
    }

    private static string List(int[] rows, ReadOnlySpan<long> rowIndices)
    {
        var text = new StringBuilder();
        for (int i = 0; i < rows.Length && i < MaxNamedRows; i++)
            text.Append(i == 0 ? string.Empty : ", ").Append(rowIndices[rows[i]].ToString(CultureInfo.InvariantCulture));
        if (rows.Length > MaxNamedRows)
            text.Append(", …");
        return text.ToString();
    }

    [GeneratedRegex(@"idx=(-?\d+)")]
    private static partial Regex IndexPattern();
}
