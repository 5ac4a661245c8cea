using System.Globalization;
using System.Text;

namespace MlNetRnn.Training.Export;

/// <summary>How closely ONNX Runtime reproduced TorchSharp on one set of sequences (see <see cref="OnnxParity"/>).</summary>
public sealed class ParityReport
{
    internal ParityReport(IReadOnlyDictionary<string, double> maxAbsDifference, string primaryOutput, int sequences, long tokens, long labelMismatches)
    {
        MaxAbsDifferenceByOutput = maxAbsDifference;
        PrimaryOutput = primaryOutput;
        Sequences = sequences;
        Tokens = tokens;
        LabelMismatches = labelMismatches;
    }

    /// <summary>Worst absolute difference of every compared float output, by ONNX output name (valid positions only).</summary>
    public IReadOnlyDictionary<string, double> MaxAbsDifferenceByOutput { get; }

    /// <summary>The output users consume: <c>probabilities</c> for classifiers, <c>log_probs</c> for language models.</summary>
    public string PrimaryOutput { get; }

    /// <summary>Worst absolute difference on <see cref="PrimaryOutput"/>.</summary>
    public double MaxAbsDifference => MaxAbsDifferenceByOutput[PrimaryOutput];

    /// <summary>Worst absolute difference over all compared float outputs.</summary>
    public double MaxAbsDifferenceAnyOutput => MaxAbsDifferenceByOutput.Values.Max();

    /// <summary>Number of sequences compared.</summary>
    public int Sequences { get; }

    /// <summary>Number of real tokens compared (padding excluded).</summary>
    public long Tokens { get; }

    /// <summary>
    /// Predicted labels (classes or tags) on which the two disagree; 0 for language models; for a generator package
    /// (<see cref="GeneratorParity"/>) the rows whose greedy decode differs. Near-ties can flip.
    /// </summary>
    public long LabelMismatches { get; }

    /// <summary>One line per output, worst first.</summary>
    /// <returns>A readable summary.</returns>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"ONNX Runtime vs TorchSharp on {Sequences} sequences ({Tokens} tokens): max |Δ| {PrimaryOutput} = {MaxAbsDifference:E2}");
        foreach (var (name, diff) in MaxAbsDifferenceByOutput.OrderByDescending(kv => kv.Value))
            sb.Append(CultureInfo.InvariantCulture, $"\n  {name,-16} {diff:E2}");
        if (PrimaryOutput == "probabilities" || LabelMismatches > 0)
            sb.Append(CultureInfo.InvariantCulture, $"\n  predicted labels differing: {LabelMismatches}");
        return sb.ToString();
    }
}
