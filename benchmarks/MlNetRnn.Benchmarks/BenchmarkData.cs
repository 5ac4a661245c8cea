namespace MlNetRnn.Benchmarks;

/// <summary>Seeded synthetic token-id rows: ids uniform in [2, vocab), lengths uniform in [minLength, maxLength].</summary>
internal static class BenchmarkData
{
    internal static long[][] Rows(int count, int vocabSize, int minLength, int maxLength, int seed)
    {
        var random = new Random(seed);
        var rows = new long[count][];
        for (int i = 0; i < count; i++)
        {
            var row = new long[random.Next(minLength, maxLength + 1)];
            for (int t = 0; t < row.Length; t++)
                row[t] = random.Next(2, vocabSize);
            rows[i] = row;
        }
        return rows;
    }

    internal static long TokenCount(long[][] rows) => rows.Sum(r => (long)r.Length);
}
