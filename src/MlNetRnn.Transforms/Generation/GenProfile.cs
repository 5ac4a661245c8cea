using System.Diagnostics;
namespace MlNetRnn.Transforms.Generation;
// TEMPORARY profiling counters.
internal static class GenProfile
{
    public static readonly long[] Ticks = new long[16];
    public static readonly long[] Counts = new long[16];
    public static readonly string[] Names = ["encode", "step.prep", "step.run", "step.out", "beam.select", "beam.gather", "step.total", "beam.total", "hyps", "", "", "", "", "", "", ""];
    public static long Now => Stopwatch.GetTimestamp();
    public static void Add(int i, long start) { Interlocked.Add(ref Ticks[i], Stopwatch.GetTimestamp() - start); Interlocked.Increment(ref Counts[i]); }
    public static void Reset() { Array.Clear(Ticks); Array.Clear(Counts); }
    public static string Report() => string.Join("\n", Enumerable.Range(0, 16).Where(i => Counts[i] > 0).Select(i => $"{Names[i],-12} {Ticks[i] * 1000.0 / Stopwatch.Frequency,10:F1} ms  n={Counts[i]}"));
}
