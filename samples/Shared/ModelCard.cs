using System.Globalization;
using System.Text;
using MlNetRnn.Training.Export;
using MlNetRnn.Training.Models;
using MlNetRnn.Training.Training;
using Spectre.Console;

namespace MlNetRnn.Samples;

/// <summary>Writes a trained model's ONNX file or generator package and its model card (Markdown) side by side in <c>models/</c>.</summary>
internal static class ModelCard
{
    internal static void Publish(
        string modelsDir,
        string name,
        RnnSequenceModel model,
        OnnxExportOptions exportOptions,
        IReadOnlyList<int[]> paritySample,
        string title,
        string intendedUse,
        string data,
        TrainingRun training,
        IReadOnlyList<(string Metric, string Value, string Baseline)> results,
        string baselines,
        string command,
        IReadOnlyList<int[][]>? parityCharacters = null)
    {
        Directory.CreateDirectory(modelsDir);
        byte[] onnx = OnnxExporter.Export(model, exportOptions);
        string onnxPath = Path.Combine(modelsDir, name + ".onnx");
        File.WriteAllBytes(onnxPath, onnx);
        var parity = OnnxParity.Verify(model, onnx, paritySample, parityCharacters);
        AnsiConsole.MarkupLine($"Exported [bold]{Markup.Escape(onnxPath)}[/] ({onnx.Length / 1024.0 / 1024.0:F2} MB).");
        AnsiConsole.WriteLine(parity.ToString());

        var c = model.Config;
        var inv = CultureInfo.InvariantCulture;
        WriteCard(modelsDir, name, title,
            string.Create(inv, $"File: `{name}.onnx` ({onnx.Length / 1024.0 / 1024.0:F2} MB), MlNetRnn ONNX format {OnnxExporter.FormatVersion}, opset 17. Loss curves: `{name}.loss.png`."),
            intendedUse,
            [
                string.Create(inv, $"Task: {c.Task}; cell: {c.Cell}; layers: {c.NumLayers}; directions: {c.NumDirections}"),
                string.Create(inv, $"Vocabulary: {c.VocabSize} ids (0 = padding, 1 = unknown); embedding {c.EmbeddingDim}; hidden {c.HiddenSize}; outputs {c.OutputSize}; dropout {c.Dropout}"),
                .. (c.HasCharEncoder
                    ? [string.Create(inv, $"Characters: {c.CharVocabSize} ids; embedding {c.CharEmbeddingDim}; bidirectional {c.Cell} encoder, hidden {c.CharHiddenSize} per direction; word dropout {c.WordDropout}; embedding dropout {c.EmbeddingDropout}")]
                    : Array.Empty<string>()),
                string.Create(inv, $"Parameters: {model.parameters().Sum(p => p.numel()):N0}"),
            ],
            data, training, results, baselines,
            string.Create(inv, $"ONNX Runtime vs TorchSharp on {parity.Sequences} held-out sequences ({parity.Tokens} tokens): max |Δ| {parity.PrimaryOutput} = {parity.MaxAbsDifference:E2}, any output {parity.MaxAbsDifferenceAnyOutput:E2}."),
            command);
    }

    /// <summary>
    /// Writes a trained generator's package (<c>NAME.zip</c>: encoder and decoder-step graphs with their manifest) and its
    /// model card (Markdown) side by side in <c>models/</c>, with the parity of the package against the TorchSharp model.
    /// </summary>
    internal static void PublishGenerator(
        string modelsDir,
        string name,
        byte[] package,
        ParityReport parity,
        IReadOnlyList<string> modelLines,
        string title,
        string intendedUse,
        string data,
        TrainingRun training,
        IReadOnlyList<(string Metric, string Value, string Baseline)> results,
        string baselines,
        string command)
    {
        Directory.CreateDirectory(modelsDir);
        string packagePath = Path.Combine(modelsDir, name + ".zip");
        File.WriteAllBytes(packagePath, package);
        AnsiConsole.MarkupLine($"Exported [bold]{Markup.Escape(packagePath)}[/] ({package.Length / 1024.0 / 1024.0:F2} MB).");
        AnsiConsole.WriteLine(parity.ToString());

        var inv = CultureInfo.InvariantCulture;
        WriteCard(modelsDir, name, title,
            string.Create(inv, $"File: `{name}.zip` ({package.Length / 1024.0 / 1024.0:F2} MB), an MlNetRnn generator package (manifest + encoder + decoder-step graphs, opset 17). Loss curves: `{name}.loss.png`."),
            intendedUse, modelLines, data, training, results, baselines,
            string.Create(inv, $"ONNX Runtime (encoder, then the decoder step fed its own states) vs TorchSharp along TorchSharp's greedy decode of {parity.Sequences} rows ({parity.Tokens} steps): max |Δ| {parity.PrimaryOutput} = {parity.MaxAbsDifference:E2}, any output {parity.MaxAbsDifferenceAnyOutput:E2}; rows whose greedy decode differs: {parity.LabelMismatches}."),
            command);
    }

    private static void WriteCard(string modelsDir, string name, string title, string fileLine, string intendedUse, IReadOnlyList<string> modelLines, string data,
        TrainingRun training, IReadOnlyList<(string Metric, string Value, string Baseline)> results, string baselines, string parityLine, string command)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(inv, $"# {title}");
        sb.AppendLine();
        sb.AppendLine(fileLine);
        sb.AppendLine();
        sb.AppendLine("## Intended use");
        sb.AppendLine(intendedUse);
        sb.AppendLine();
        sb.AppendLine("## Model");
        foreach (string line in modelLines)
            sb.AppendLine(inv, $"- {line}");
        sb.AppendLine();
        sb.AppendLine("## Data");
        sb.AppendLine(data);
        sb.AppendLine();
        sb.AppendLine("## Training");
        if (training.CancelledInEpoch is int cancelled)
            sb.AppendLine(inv, $"**Training was cancelled** (Ctrl+C) in epoch {cancelled}, after {training.History.Count} completed epoch{(training.History.Count == 1 ? "" : "s")} in {training.Elapsed:hh\\:mm\\:ss} on 2 CPU cores; weights of epoch {training.BestEpoch} kept (lowest validation loss so far).");
        else if (training.TimeBudget is TimeSpan budget)
            sb.AppendLine(inv, $"Stopped at the time budget ({budget.TotalMinutes:0.##} min) after {training.History.Count} epoch{(training.History.Count == 1 ? "" : "s")}, in {training.Elapsed:hh\\:mm\\:ss} on 2 CPU cores; weights of epoch {training.BestEpoch} kept (lowest validation loss).");
        else
            sb.AppendLine(inv, $"{training.History.Count} epochs in {training.Elapsed:hh\\:mm\\:ss} on 2 CPU cores; weights of epoch {training.BestEpoch} kept (lowest validation loss){(training.StoppedEarly ? ", stopped early" : "")}.");
        sb.AppendLine();
        sb.AppendLine("| epoch | learning rate | train loss | validation loss | validation accuracy | tokens/s | time |");
        sb.AppendLine("|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var e in training.History)
            sb.AppendLine(inv, $"| {e.Epoch} | {e.LearningRate:G3} | {e.TrainLoss:F4} | {e.ValidationLoss:F4} | {e.ValidationAccuracy:P2} | {e.TokensPerSecond:N0} | {e.Duration:hh\\:mm\\:ss} |");
        sb.AppendLine();
        sb.AppendLine("## Results");
        sb.AppendLine("| metric | this model | baseline |");
        sb.AppendLine("|---|---:|---:|");
        foreach (var (metric, value, baseline) in results)
            sb.AppendLine(inv, $"| {metric} | {value} | {baseline} |");
        sb.AppendLine();
        sb.AppendLine(baselines);
        sb.AppendLine();
        sb.AppendLine("## ONNX parity");
        sb.AppendLine(parityLine);
        sb.AppendLine();
        sb.AppendLine("## Reproduce");
        sb.AppendLine("```bash");
        sb.AppendLine(command);
        sb.AppendLine("```");
        sb.AppendLine("Seeded; results vary slightly with thread scheduling of the CPU kernels.");
        sb.AppendLine();
        sb.AppendLine("## Limitations");
        sb.AppendLine("Small model trained on a small corpus on two CPU cores; not for decisions about people.");
        File.WriteAllText(Path.Combine(modelsDir, name + ".md"), sb.ToString());
        AnsiConsole.MarkupLine($"Model card: [bold]{Markup.Escape(Path.Combine(modelsDir, name + ".md"))}[/]");
    }
}
