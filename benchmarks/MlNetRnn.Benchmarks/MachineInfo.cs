using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace MlNetRnn.Benchmarks;

/// <summary>What every results table is prefixed with: CPU model, vector ISA, cores, .NET; and the CPU's theoretical fp32 peak.</summary>
internal static class MachineInfo
{
    private static readonly Lazy<(string Model, double? Mhz)> CpuInfo = new(ReadCpuInfo);

    internal static string CpuModel => CpuInfo.Value.Model;

    /// <summary>The widest x86 vector ISA the runtime reports.</summary>
    internal static string VectorIsa => Avx512F.IsSupported ? "AVX-512" : Avx2.IsSupported ? "AVX2" : Avx.IsSupported ? "AVX" : "no AVX";

    /// <summary>fp32 lanes of one vector register of <see cref="VectorIsa"/>.</summary>
    internal static int Fp32Lanes => Avx512F.IsSupported ? 16 : Avx.IsSupported ? 8 : 4;

    /// <summary>Clock from /proc/cpuinfo's "cpu MHz" (the kernel's figure for the first CPU; on a VM usually the nominal clock).</summary>
    internal static double? ClockMhz => CpuInfo.Value.Mhz;

    /// <summary>Assumed FMA units per core: 2 (Intel server cores since Skylake-SP, AMD Zen). An assumption, not a measurement.</summary>
    internal const int FmaUnits = 2;

    /// <summary>cores × FMA units × fp32 lanes × 2 (an FMA is a multiply and an add) × clock, in GFLOP/s; null without a clock.</summary>
    internal static double? TheoreticalPeakGflops =>
        ClockMhz is double mhz ? Environment.ProcessorCount * FmaUnits * Fp32Lanes * 2.0 * mhz / 1000 : null;

    /// <summary>One line naming the machine, for the top of a results table.</summary>
    internal static string Header(string threads)
    {
        string clock = ClockMhz is double mhz ? FormattableString.Invariant($" at {mhz:F0} MHz") : "";
        string dry = BenchmarkSettings.Dry ? " — DRY RUN, numbers meaningless" : "";
        return $"CPU: {CpuModel}, {VectorIsa} (AVX-512F {Avx512F.IsSupported}, AVX2 {Avx2.IsSupported}), {Environment.ProcessorCount} logical cores{clock}; "
            + $"{RuntimeInformation.OSDescription}; .NET {Environment.Version}; {threads}{dry}.";
    }

    /// <summary>The peak's formula with the numbers put in, and what it assumes.</summary>
    internal static string PeakFormula() => TheoreticalPeakGflops is double peak
        ? FormattableString.Invariant($"Theoretical fp32 peak (formula, not measured): {Environment.ProcessorCount} cores × {FmaUnits} FMA units × {Fp32Lanes} lanes ({VectorIsa}) × 2 FLOP × {ClockMhz / 1000:F2} GHz = {peak:F0} GFLOP/s. ")
            + "Assumes 2 full-width FMA units per logical core at the reported clock: halve it for cores that split 512-bit FMAs into "
            + "256-bit halves (AMD Zen 4) and again when two logical cores share one physical core; turbo clocks raise it."
        : "Theoretical fp32 peak: no clock in /proc/cpuinfo, not computed.";

    private static (string Model, double? Mhz) ReadCpuInfo()
    {
        string model = RuntimeInformation.ProcessArchitecture.ToString();
        double? mhz = null;
        if (!File.Exists("/proc/cpuinfo"))
            return (model, mhz);
        bool haveModel = false;
        foreach (var line in File.ReadLines("/proc/cpuinfo"))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
                continue;
            string key = line[..colon].Trim(), value = line[(colon + 1)..].Trim();
            if (!haveModel && key == "model name")
                (model, haveModel) = (value, true);
            else if (mhz is null && key == "cpu MHz" && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double m))
                mhz = m;
        }
        return (model, mhz);
    }
}
