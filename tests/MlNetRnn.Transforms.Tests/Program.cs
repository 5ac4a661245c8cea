using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetRnn.Transforms.Tests;

/// <summary>
/// Entry point for <see cref="FreshProcessLoadTests"/>: <c>load-check MODEL.zip OUT.txt COUNT SEED VOCAB</c> loads a saved
/// model with plain <c>mlContext.Model.Load</c> — in a process that has never touched MlNetRnn.Transforms — scores
/// seeded rows and writes one line of scores per row. Deliberately uses no type of the library under test.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length != 6 || args[0] != "load-check")
        {
            Console.Error.WriteLine("usage: load-check MODEL.zip OUT.txt COUNT SEED VOCAB");
            return 2;
        }

        bool loadedEarly = AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == "MlNetRnn.Transforms");
        var ml = new MLContext(seed: 1);
        var model = ml.Model.Load(args[1], out _);
        var sequences = Fixtures.TestData.RandomSequences(int.Parse(args[3], CultureInfo.InvariantCulture), int.Parse(args[5], CultureInfo.InvariantCulture), int.Parse(args[4], CultureInfo.InvariantCulture));
        var scored = model.Transform(ml.Data.LoadFromEnumerable(sequences.Select((s, i) => new Row { Id = i, Tokens = s }).ToList()));
        var scores = Fixtures.TestData.Vectors<float>(scored, "Score");
        File.WriteAllLines(args[2], scores.Select(s => string.Join(' ', s.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))));
        Console.WriteLine(loadedEarly ? "library loaded before Model.Load" : "library not loaded before Model.Load");
        return 0;
    }

    private sealed class Row
    {
        public int Id { get; set; }

        [VectorType]
        public long[] Tokens { get; set; } = [];
    }
}
