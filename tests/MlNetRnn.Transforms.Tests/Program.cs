using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetRnn.Transforms.Tests;

/// <summary>
/// Command-line entry for tests that need a fresh process (<c>dotnet MlNetRnn.Transforms.Tests.dll COMMAND …</c>):
/// <list type="bullet">
/// <item><c>load-check MODEL.zip OUT.txt COUNT SEED VOCAB</c> (<see cref="FreshProcessLoadTests"/>) loads a saved model with
/// plain <c>mlContext.Model.Load</c> — in a process that has never touched MlNetRnn.Transforms — scores seeded rows and writes
/// one line of scores per row. Deliberately uses no type of the library under test.</item>
/// <item><c>hang [PIDFILE]</c> (<see cref="ChildProcessTests"/>) never exits; with PIDFILE it first starts a child of its own that
/// hangs too and writes that child's process id there.</item>
/// <item><c>flood BYTES</c> (<see cref="ChildProcessTests"/>) writes BYTES characters to stdout and to stderr, alternating, then exits 3.</item>
/// </list>
/// </summary>
public static class Program
{
    public static int Main(string[] args) => args switch
    {
        ["load-check", _, _, _, _, _] => LoadCheck(args),
        ["hang"] => Hang(pidFile: null),
        ["hang", var pidFile] => Hang(pidFile),
        ["flood", var bytes] => Flood(int.Parse(bytes, CultureInfo.InvariantCulture)),
        _ => Usage(),
    };

    private static int Usage()
    {
        Console.Error.WriteLine("usage: load-check MODEL.zip OUT.txt COUNT SEED VOCAB | hang [PIDFILE] | flood BYTES");
        return 2;
    }

    private static int LoadCheck(string[] args)
    {
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

    private static int Hang(string? pidFile)
    {
        if (pidFile is not null)
        {
            var start = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
            foreach (string argument in new[] { typeof(Program).Assembly.Location, "hang" })
                start.ArgumentList.Add(argument);
            using var child = Process.Start(start)!;
            File.WriteAllText(pidFile, child.Id.ToString(CultureInfo.InvariantCulture));
        }
        Console.WriteLine("hanging");
        Thread.Sleep(Timeout.Infinite);
        return 1;
    }

    private static int Flood(int bytes)
    {
        var line = new string('x', 99);
        using var stdout = Console.OpenStandardOutput();
        using var stderr = Console.OpenStandardError();
        byte[] chunk = System.Text.Encoding.ASCII.GetBytes(line + "\n");
        for (int written = 0; written < bytes; written += chunk.Length)
        {
            stdout.Write(chunk);
            stderr.Write(chunk);
        }
        return 3;
    }

    private sealed class Row
    {
        public int Id { get; set; }

        [VectorType]
        public long[] Tokens { get; set; } = [];
    }
}
