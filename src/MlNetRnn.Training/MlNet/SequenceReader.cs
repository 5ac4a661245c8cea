using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetRnn.Training.Data;
using MlNetRnn.Transforms.Onnx;
using MlNetRnn.Transforms.Text;

namespace MlNetRnn.Training;

/// <summary>
/// Reads training or validation rows from an <see cref="IDataView"/> in one pass into compact token-id arrays: one
/// <c>int[]</c> of ids per row (and one <c>int[]</c> of tags per row for token classification), nothing else per token.
/// </summary>
/// <remarks>
/// Text is tokenized row by row and every distinct token gets a provisional id here (<see cref="TokenCount"/> counts them);
/// <see cref="RemapTokens"/> later turns provisional ids into vocabulary ids in place. Token keys are read as ids directly
/// (key <c>k</c> = id <c>k</c>, key 0 = <see cref="KeyUnknownId"/>).
/// </remarks>
internal sealed class SequenceReader
{
    private readonly RnnTrainerOptions options;
    private readonly bool perToken;
    private readonly Regex? wordRegex;
    private readonly Dictionary<string, int> provisional = new(StringComparer.Ordinal);
    private readonly List<string> tokens = [];
    private readonly TextTokenization? asWritten;
    private readonly Dictionary<string, int> writtenIds = new(StringComparer.Ordinal);
    private readonly List<string> written = [];

    public SequenceReader(RnnTrainerOptions options, bool perToken, bool isText, DataViewSchema trainingSchema)
    {
        this.options = options;
        this.perToken = perToken;
        IsText = isText;
        wordRegex = options.Tokenization.CreateWordRegex(compiled: true);
        if (!isText)
            KeyCount = KeyCountOf(trainingSchema[options.InputColumnName]);
        if (options is RnnTokenClassifierOptions { ReadsCharacters: true })
        {
            if (isText)
                asWritten = TextTokenization.Parse(options.Tokenization.ToJson());
            else
                written.AddRange(["", .. TextKeyValues(trainingSchema[options.InputColumnName], KeyCount), ""]);
        }
        var label = trainingSchema[options.LabelColumnName];
        ClassCount = KeyCountOf(label);
        ClassNames = KeyNames(label, ClassCount);
    }

    public bool IsText { get; }

    /// <summary>Token keys: the input key count (ids 1…KeyCount).</summary>
    public int KeyCount { get; }

    /// <summary>Token keys: the id that key 0 (missing) is read as, after the key ids.</summary>
    public int KeyUnknownId => KeyCount + 1;

    public int ClassCount { get; }

    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>
    /// A character-aware tagger's tokens as written, by id: for a text input, every distinct token as written seen so far (ids
    /// in <see cref="SequenceRows.Written"/>); for token keys, indexed by token id (key values; padding and missing keys: "").
    /// </summary>
    public IReadOnlyList<string> WrittenTokens => written;

    /// <summary>The ids into <see cref="WrittenTokens"/> of row <paramref name="row"/>'s tokens.</summary>
    public int[] WrittenIds(SequenceRows rows, int row) => asWritten is null ? rows.Ids[row] : rows.Written[row];

    /// <summary>Text: the number of distinct tokens seen so far (provisional ids 0…TokenCount−1).</summary>
    public int TokenCount => tokens.Count;

    /// <summary>Reads every row of <paramref name="data"/>.</summary>
    /// <param name="data">The rows.</param>
    /// <param name="what">"training" or "validation", for messages.</param>
    /// <param name="cancellationToken">Checked every 1024 rows.</param>
    /// <exception cref="InvalidDataException">A label is missing (key 0), or a row's tag count differs from its token count; the message names row and column.</exception>
    public SequenceRows Read(IDataView data, string what, CancellationToken cancellationToken)
    {
        var input = data.Schema.GetColumnOrNull(options.InputColumnName) ?? throw new ArgumentException($"The {what} data has no input column '{options.InputColumnName}'.");
        var label = data.Schema.GetColumnOrNull(options.LabelColumnName) ?? throw new ArgumentException($"The {what} data has no label column '{options.LabelColumnName}'.");
        if (!IsText && KeyCountOf(input) != KeyCount)
            throw new ArgumentException($"Input column '{input.Name}' of the {what} data: expected {KeyCount} token keys, as in the training data, got {KeyCountOf(input)}.");
        if (KeyCountOf(label) != ClassCount)
            throw new ArgumentException($"Label column '{label.Name}' of the {what} data: expected {ClassCount} keys, as in the training data, got {KeyCountOf(label)}.");

        var rows = new SequenceRows(perToken);
        using var cursor = data.GetRowCursor([input, label]);
        var readIds = IdGetter(cursor, input, rows.Written);
        var labelGetter = perToken ? null : cursor.GetGetter<uint>(label);
        var tagGetter = perToken ? cursor.GetGetter<VBuffer<uint>>(label) : null;
        var tagBuffer = default(VBuffer<uint>);
        long row = -1;
        while (cursor.MoveNext())
        {
            row++;
            if ((row & 1023) == 0)
                cancellationToken.ThrowIfCancellationRequested();
            int[] ids = readIds();
            rows.Ids.Add(ids);
            if (labelGetter is not null)
            {
                uint key = 0;
                labelGetter(ref key);
                rows.Labels!.Add(Class(key, row, what, label.Name, position: -1));
            }
            else
            {
                tagGetter!(ref tagBuffer);
                if (tagBuffer.Length != ids.Length)
                    throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"Row {row} of the {what} data: column '{input.Name}' has {ids.Length} tokens but column '{label.Name}' has {tagBuffer.Length} tags; expected one tag per token."));
                var tags = new int[ids.Length];
                int t = 0;
                foreach (uint key in tagBuffer.DenseValues())
                {
                    tags[t] = Class(key, row, what, label.Name, t);
                    t++;
                }

                rows.Tags!.Add(tags);
            }
        }

        return rows;
    }

    /// <summary>Text: turns provisional ids into vocabulary ids, in place.</summary>
    public void RemapTokens(SequenceRows rows, Vocabulary vocabulary)
    {
        var map = tokens.Select(vocabulary.IdOf).ToArray();
        foreach (int[] ids in rows.Ids)
        {
            for (int t = 0; t < ids.Length; t++)
                ids[t] = map[ids[t]];
        }
    }

    /// <summary>Text: how often each provisional id occurs in the given rows, by token.</summary>
    public Dictionary<string, long> CountTokens(SequenceRows rows, IEnumerable<int> rowIndices)
    {
        var counts = new long[tokens.Count];
        foreach (int i in rowIndices)
        {
            foreach (int id in rows.Ids[i])
                counts[id]++;
        }

        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        for (int id = 0; id < counts.Length; id++)
        {
            if (counts[id] > 0)
                result[tokens[id]] = counts[id];
        }

        return result;
    }

    private Func<int[]> IdGetter(DataViewRowCursor cursor, DataViewSchema.Column input, List<int[]> writtenRows)
    {
        if (IsText)
        {
            var getText = cursor.GetGetter<ReadOnlyMemory<char>>(input);
            var text = default(ReadOnlyMemory<char>);
            return () =>
            {
                getText(ref text);
                string whole = text.ToString();
                string[] words = Vocabulary.Tokenize(whole, options.Tokenization, wordRegex);
                if (asWritten is not null)
                    writtenRows.Add(WrittenIdsOf(TextTokenizer.TokenizeAsWritten(whole, asWritten)));
                var ids = new int[words.Length];
                for (int t = 0; t < words.Length; t++)
                {
                    if (!provisional.TryGetValue(words[t], out ids[t]))
                    {
                        ids[t] = tokens.Count;
                        provisional.Add(words[t], ids[t]);
                        tokens.Add(words[t]);
                    }
                }

                return ids;
            };
        }

        var getKeys = cursor.GetGetter<VBuffer<uint>>(input);
        var keys = default(VBuffer<uint>);
        return () =>
        {
            getKeys(ref keys);
            var ids = new int[keys.Length];
            int t = 0;
            foreach (uint key in keys.DenseValues())
                ids[t++] = key == 0 ? KeyUnknownId : (int)key;
            return ids;
        };
    }

    private int[] WrittenIdsOf(string[] words)
    {
        var ids = new int[words.Length];
        for (int t = 0; t < words.Length; t++)
        {
            if (!writtenIds.TryGetValue(words[t], out ids[t]))
            {
                ids[t] = written.Count;
                writtenIds.Add(words[t], ids[t]);
                written.Add(words[t]);
            }
        }

        return ids;
    }

    /// <summary>The text key values of a token-key column (key k's at index k−1): a character-aware tagger reads their characters.</summary>
    private static string[] TextKeyValues(DataViewSchema.Column column, int count)
    {
        var annotation = column.Annotations.Schema.GetColumnOrNull("KeyValues");
        if (annotation?.Type is not VectorDataViewType { ItemType: TextDataViewType } type || type.Size != count)
        {
            throw new ArgumentException(
                $"Input column '{column.Name}': a tagger that reads characters ({nameof(RnnTokenClassifierOptions.CharHiddenSize)} > 0) needs the tokens' text as the column's key values (for example from MapValueToKey on a vector of words), got {(annotation is null ? "no key values" : $"key values of type {annotation.Value.Type}")}.");
        }

        var values = default(VBuffer<ReadOnlyMemory<char>>);
        column.GetKeyValues(ref values);
        return values.DenseValues().Select(v => v.ToString()).ToArray();
    }

    private static int Class(uint key, long row, string what, string column, int position)
    {
        if (key == 0)
        {
            string where = position < 0 ? "" : $", token {position}";
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"Row {row} of the {what} data, column '{column}'{where}: expected a label key ≥ 1, got key 0 (a missing value, for example a label MapValueToKey did not know)."));
        }

        return (int)key - 1;
    }

    private static int KeyCountOf(DataViewSchema.Column column)
    {
        var type = column.Type is VectorDataViewType vector ? vector.ItemType : column.Type;
        ulong count = ((KeyDataViewType)type).Count;
        if (count > int.MaxValue - 2)
            throw new ArgumentException($"Column '{column.Name}': expected at most {int.MaxValue - 2} keys, got {count}.");
        return (int)count;
    }

    /// <summary>The key values as names (key k's name at index k−1), or "1"…"count" when the column has none.</summary>
    private static string[] KeyNames(DataViewSchema.Column column, int count)
    {
        var annotation = column.Annotations.Schema.GetColumnOrNull("KeyValues");
        if (annotation?.Type is VectorDataViewType { ItemType: var item } && item.RawType is var raw)
        {
            var read = typeof(SequenceReader).GetMethod(nameof(ReadKeyValues), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!.MakeGenericMethod(raw);
            var names = (string[])read.Invoke(null, [column])!;
            if (names.Length == count && names.Distinct(StringComparer.Ordinal).Count() == count)
                return names;
        }

        return Enumerable.Range(1, count).Select(k => k.ToString(CultureInfo.InvariantCulture)).ToArray();
    }

    private static string[] ReadKeyValues<T>(DataViewSchema.Column column)
    {
        var values = default(VBuffer<T>);
        column.GetKeyValues(ref values);
        return values.DenseValues().Select(v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? string.Empty).ToArray();
    }
}
