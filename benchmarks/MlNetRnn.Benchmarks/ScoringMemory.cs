using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetRnn.Transforms;

namespace MlNetRnn.Benchmarks;

/// <summary>
/// Peak working set while the transformer scores N and 10 N rows streamed from a generator (so only the scorer's own memory
/// can grow). Each figure comes from a child process of this executable that does nothing else: it loads the ONNX file,
/// fits the transformer and scores, with no TorchSharp, no benchmark and no earlier run in it.
/// </summary>
internal static class ScoringMemory
{
    /// <summary>One child's figures: the working set once the scorer is ready, and the process peak after scoring <paramref name="Rows"/>.</summary>
    internal sealed record Result(int Rows, long Ready, long Peak);

    /// <summary>First argument that makes the executable run one measurement: <c>memory-child &lt;onnx file&gt; &lt;rows&gt;</c>.</summary>
    internal const string ChildMode = "memory-child";

    private const string ResultPrefix = "PEAK-WORKING-SET";

    private static readonly TimeSpan ChildTimeLimit = TimeSpan.FromMinutes(10);

    /// <summary>Exports the LSTM reference model and runs one child process for N rows and one for 10 N rows.</summary>
    internal static Result[] Measure()
    {
        int rows = BenchmarkSettings.Dry ? 64 : 4096;
        string onnxPath = Path.Combine(Path.GetTempPath(), $"mlnetrnn-bench-memory-{Environment.ProcessId}.onnx");
        using (var model = ReferenceModel.Create(ReferenceModelKind.Lstm256))
            File.WriteAllBytes(onnxPath, ReferenceModel.Onnx(model));
        try
        {
            return [RunChild(onnxPath, rows), RunChild(onnxPath, 10 * rows)];
        }
        finally
        {
            File.Delete(onnxPath);
        }
    }

    /// <summary>The child's side: scores <paramref name="rows"/> streamed rows and prints one result line.</summary>
    internal static int RunInChild(string onnxPath, int rows)
    {
        var mlContext = new MLContext(seed: 0);
        var options = new RnnScoringOptions { ModelBytes = File.ReadAllBytes(onnxPath), InputColumnName = "input_ids" };
        using var transformer = mlContext.Transforms.ScoreRnn(options).Fit(mlContext.Data.LoadFromEnumerable(Stream(1)));
        long ready = WorkingSet(peak: false);
        var output = transformer.Transform(mlContext.Data.LoadFromEnumerable(Stream(rows)));
        var column = output.Schema["Score"];
        using (var cursor = output.GetRowCursor([column]))
        {
            var getter = cursor.GetGetter<VBuffer<float>>(column);
            VBuffer<float> value = default;
            while (cursor.MoveNext())
                getter(ref value);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ResultPrefix} {rows} {ready} {WorkingSet(peak: true)}"));
        return 0;
    }

    private static Result RunChild(string onnxPath, int rows)
    {
        // The executable's own host when it has one (also copied next to a referencing test), else `dotnet <dll>`.
        string dll = typeof(ScoringMemory).Assembly.Location;
        string appHost = Path.ChangeExtension(dll, OperatingSystem.IsWindows() ? ".exe" : null);
        var start = File.Exists(appHost)
            ? new ProcessStartInfo(appHost)
            : new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet") { ArgumentList = { dll } };
        foreach (var arg in new[] { ChildMode, onnxPath, rows.ToString(CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(arg);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start '{start.FileName}'.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(ChildTimeLimit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The memory measurement for {rows} rows ('{start.FileName} {string.Join(' ', start.ArgumentList)}') did not finish within {ChildTimeLimit.TotalMinutes} minutes.");
        }
        process.WaitForExit();

        string output = stdout.Result;
        var line = output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(ResultPrefix + " ", StringComparison.Ordinal));
        if (process.ExitCode != 0 || line is null)
            throw new InvalidOperationException($"The memory measurement for {rows} rows exited with code {process.ExitCode} and no result line. Output: {output} Errors: {stderr.Result}");
        var parts = line.Split(' ');
        return new Result(int.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture), long.Parse(parts[3], CultureInfo.InvariantCulture));
    }

    private static IEnumerable<Row> Stream(int count)
    {
        var random = new Random(11);
        for (int i = 0; i < count; i++)
        {
            var ids = new long[random.Next(5, 101)];
            for (int t = 0; t < ids.Length; t++)
                ids[t] = random.Next(2, ReferenceModel.VocabSize);
            yield return new Row { Ids = ids };
        }
    }

    private static long WorkingSet(bool peak)
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return peak ? process.PeakWorkingSet64 : process.WorkingSet64;
    }

    private sealed class Row
    {
        [ColumnName("input_ids")]
        public long[] Ids { get; set; } = [];
    }
}
