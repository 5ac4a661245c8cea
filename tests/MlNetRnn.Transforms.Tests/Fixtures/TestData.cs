using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetRnn.Transforms.Tests.Fixtures;

/// <summary>Row types and data helpers for tests.</summary>
internal static class TestData
{
    public sealed class TokenRow
    {
        public int Id { get; set; }

        [VectorType]
        public long[] Tokens { get; set; } = [];
    }

    public sealed class IntTokenRow
    {
        public int Id { get; set; }

        [VectorType]
        public int[] Tokens { get; set; } = [];
    }

    public sealed class TextRow
    {
        public int Id { get; set; }

        public string Text { get; set; } = string.Empty;
    }

    /// <summary>Seeded random sequences with lengths in [minLength, maxLength] and ids in [lowId, vocab).</summary>
    public static long[][] RandomSequences(int count, int vocab, int seed, int minLength = 0, int maxLength = 12, int lowId = 1)
    {
        var random = new Random(seed);
        var rows = new long[count][];
        for (int i = 0; i < count; i++)
        {
            rows[i] = new long[random.Next(minLength, maxLength + 1)];
            for (int t = 0; t < rows[i].Length; t++)
                rows[i][t] = random.Next(lowId, vocab);
        }

        return rows;
    }

    public static IDataView Load(MLContext ml, long[][] sequences) =>
        ml.Data.LoadFromEnumerable(sequences.Select((s, i) => new TokenRow { Id = i, Tokens = s }).ToList());

    /// <summary>All values of a scalar column, read with a cursor.</summary>
    public static List<T> Column<T>(IDataView data, string name)
    {
        var column = data.Schema[name];
        var values = new List<T>();
        using var cursor = data.GetRowCursor([column]);
        var getter = cursor.GetGetter<T>(column);
        while (cursor.MoveNext())
        {
            T value = default!;
            getter(ref value);
            values.Add(value);
        }

        return values;
    }

    /// <summary>All values of a vector column, densified, read with a cursor.</summary>
    public static List<T[]> Vectors<T>(IDataView data, string name)
    {
        var column = data.Schema[name];
        var values = new List<T[]>();
        using var cursor = data.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<T>>(column);
        VBuffer<T> buffer = default;
        while (cursor.MoveNext())
        {
            getter(ref buffer);
            values.Add(buffer.DenseValues().ToArray());
        }

        return values;
    }

    public static void AssertClose(float[] expected, float[] actual, float tolerance = 1e-5f, string? what = null)
    {
        Xunit.Assert.True(expected.Length == actual.Length, $"{what}: expected {expected.Length} values, got {actual.Length}.");
        for (int i = 0; i < expected.Length; i++)
        {
            bool ok = (float.IsNaN(expected[i]) && float.IsNaN(actual[i])) || Math.Abs(expected[i] - actual[i]) <= tolerance;
            Xunit.Assert.True(ok, $"{what}: value {i}: expected {expected[i]}, got {actual[i]}.");
        }
    }
}
