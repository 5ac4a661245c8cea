// Gradients through time for a vanilla RNN (tanh), an LSTM and a GRU of the same size: how strongly the loss at the last step
// depends on the hidden state of each earlier step (at initialisation and after training), what that means for a task that
// needs a long memory (the label is the first token, then T−1 random distractors), and exploding gradients with and
// without gradient-norm clipping.
// Usage: dotnet run -c Release --project samples/GradientFlow -- [--quick] [--out artifacts/gradient-flow] [--threads 1]
using System.Diagnostics;
using System.Globalization;
using MlNetRnn.Samples;
using MlNetRnn.Training.Analysis;
using MlNetRnn.Training.Models;
using MlNetRnn.Training.Training;
using ScottPlot;
using Spectre.Console;
using TorchSharp;
using Color = ScottPlot.Color;

var inv = CultureInfo.InvariantCulture;
bool quick = args.Contains("--quick");
string outDir = SampleConsole.Option(args, "out", "artifacts/gradient-flow");
int threads = SampleConsole.Option(args, "threads", 1);
torch.set_num_threads(threads);
if (Console.IsOutputRedirected)
    AnsiConsole.Profile.Width = 200; // logs: keep table rows on one line
Directory.CreateDirectory(outDir);
var runClock = Stopwatch.StartNew();

// One budget for every variant and every length: same hidden size, optimizer, learning rate, data and number of steps.
const int EmbeddingDim = 16, Hidden = 64, BatchSize = 64;
const double LearningRate = 3e-3, KeepGateBias = 3;
int trainCount = quick ? 512 : 16384, validationCount = quick ? 128 : 512, testCount = quick ? 256 : 1000;
int epochs = quick ? 2 : 4;
int[] lengths = quick ? [10, 25, 50] : [10, 25, 50, 100, 200];
int probeLength = quick ? 51 : 101, probeBatch = quick ? 64 : 256;
int probeTrainedAt = quick ? 50 : 100;
var task = new FirstTokenMemoryTask(classes: 4, distractors: 16);
// PyTorch's default initialisation for all three cells, plus the LSTM and GRU with the gate that keeps the state opened
// (σ(3) ≈ 0.95 kept per step) from the start.
Variant[] variants =
[
    new("RNN (tanh)", "rnn", RnnCellType.RnnTanh, null, Colors.Red),
    new("LSTM", "lstm", RnnCellType.Lstm, null, Colors.Blue),
    new("GRU", "gru", RnnCellType.Gru, null, Colors.Green),
    new($"LSTM, forget bias {KeepGateBias}", "lstm-keep", RnnCellType.Lstm, KeepGateBias, Colors.DarkCyan),
    new($"GRU, update bias {KeepGateBias}", "gru-keep", RnnCellType.Gru, KeepGateBias, Colors.Olive),
];

AnsiConsole.MarkupLine($"[bold]Gradient flow[/]{(quick ? " (quick)" : "")}: {Markup.Escape(CpuDescription())}, {threads} libtorch thread(s).");
AnsiConsole.MarkupLine(string.Create(inv,
    $"Budget per variant and length: embedding {EmbeddingDim}, hidden {Hidden}, Adam lr {LearningRate}, batch {BatchSize}, {epochs} epochs × {trainCount / BatchSize} steps = {epochs * trainCount / BatchSize} steps, clipping at norm 5 (the trainer's default)."));
AnsiConsole.MarkupLine(string.Create(inv,
    $"Memory task: {task.Classes} classes (chance {1.0 / task.Classes:P0}), {task.Distractors} distractor tokens; train {trainCount}, validation {validationCount}, test {testCount} sequences per length."));

RnnSequenceModel NewModel(RnnCellType cell, double? keepGateBias = null)
{
    torch.manual_seed(1);
    var model = new RnnSequenceModel(new RnnModelConfig(RnnTask.SequenceClassification, cell, task.VocabSize, EmbeddingDim, Hidden, NumClasses: task.Classes));
    if (keepGateBias is double bias)
        RecurrentInitialization.SetKeepGateBias(model, bias);
    return model;
}

// (a, b) at initialisation.
var probeSet = task.Generate(probeBatch, probeLength, seed: 7);
var initial = new Dictionary<Variant, GradientProfile>();
var trained = new Dictionary<Variant, GradientProfile>();
foreach (var v in variants)
{
    using var model = NewModel(v.Cell, v.KeepGateBias);
    initial[v] = GradientProbe.Measure(model, probeSet)[0];
}

// (c) accuracy against T, each variant with the same budget through the project's trainer.
var accuracy = new Dictionary<(Variant, int), double>();
var speed = new Dictionary<(Variant, int), (double TokensPerSecond, TimeSpan Elapsed)>();
var trainingClock = Stopwatch.StartNew();
var trainer = new ClassifierTrainer(new RnnTrainingOptions
{
    Epochs = epochs,
    BatchSize = BatchSize,
    LearningRate = LearningRate,
    Seed = 3,
    ProgressInterval = 5,
});
foreach (int T in lengths)
{
    var train = task.Generate(trainCount, T, seed: 100 + T);
    var validation = task.Generate(validationCount, T, seed: 200 + T);
    var test = task.Generate(testCount, T, seed: 300 + T);
    foreach (var v in variants)
    {
        using var model = NewModel(v.Cell, v.KeepGateBias);
        var result = SampleConsole.Train($"{v.Name} T={T}", trainer.Options, "loss", exportOnCancel: false,
            (progress, token) => trainer.Train(model, train, validation, progress, token));
        if (result is null)
            return;   // Ctrl+C: nothing to report
        accuracy[(v, T)] = RnnEvaluator.Evaluate(model, test).Accuracy;
        speed[(v, T)] = (result.History.Average(e => e.TokensPerSecond), result.Elapsed);
        if (T == probeTrainedAt)
            trained[v] = GradientProbe.Measure(model, probeSet)[0];
    }
}

AnsiConsole.MarkupLine(string.Create(inv, $"First-token memory task, test accuracy ({testCount} sequences per length; chance {1.0 / task.Classes:P0}); training took {trainingClock.Elapsed:mm\\:ss}:"));
var accuracyTable = new Table().AddColumn("T");
foreach (var v in variants)
    accuracyTable.AddColumn(v.Name);
foreach (int T in lengths)
    accuracyTable.AddRow([T.ToString(inv), .. variants.Select(v => accuracy[(v, T)].ToString("P1", inv))]);
AnsiConsole.Write(accuracyTable);
var speedTable = new Table().AddColumn("T");
foreach (var v in variants)
    speedTable.AddColumn(v.Name);
foreach (int T in lengths)
    speedTable.AddRow([T.ToString(inv), .. variants.Select(v => string.Create(inv, $"{speed[(v, T)].TokensPerSecond / 1000:N0}k tok/s, {speed[(v, T)].Elapsed:mm\\:ss}"))]);
AnsiConsole.MarkupLine("Training speed (mean over epochs) and wall time:");
AnsiConsole.Write(speedTable);
PlotAccuracy(Path.Combine(outDir, "accuracy-vs-length.png"));

// (a) table and picture: gradient norm against distance.
int[] distances = new[] { 0, 1, 5, 10, 20, 50, 100 }.Where(d => d < probeLength).ToArray();
var normTable = new Table().AddColumn("variant").AddColumn("when");
foreach (int d in distances)
    normTable.AddColumn($"d={d}");
foreach (var v in variants)
{
    normTable.AddRow([v.Name, "init", .. distances.Select(d => Scientific(initial[v].NormAtDistance(d)))]);
    normTable.AddRow([v.Name, $"trained T={probeTrainedAt}", .. distances.Select(d => Scientific(trained[v].NormAtDistance(d)))]);
}
AnsiConsole.MarkupLine(string.Create(inv, $"Mean ‖∂L_T/∂h_t‖ at distance d = T−1−t, {probeBatch} memory-task sequences of length {probeLength}:"));
AnsiConsole.Write(normTable);
AnsiConsole.MarkupLine("[grey]After training the whole curve also scales with the loss (a confident model has small gradients at every step): compare slopes, not heights.[/]");
if (probeLength > 50)
{
    foreach (var (when, profiles) in new[] { ("init", initial), ($"trained T={probeTrainedAt}", trained) })
    {
        double rnn = profiles[variants[0]].NormAtDistance(50);
        AnsiConsole.MarkupLine($"Gradient ratio to the RNN's at distance 50, {when}: " + string.Join(", ", variants.Skip(1).Select(v => $"{v.Name} {Scientific(profiles[v].NormAtDistance(50) / rnn)}")));
    }
}

PlotNorms(Path.Combine(outDir, "gradient-vs-distance.png"), "‖∂L_T/∂h_t‖ against distance (solid: init, dashed: trained)",
    variants.SelectMany(v => new[] { ($"{v.Name} init", v.Color, initial[v], false), ($"{v.Name} trained", v.Color, trained[v], true) }));

// (b) the per-step picture: |∂L_T/∂h_t[u]| over steps and units.
foreach (var v in variants)
{
    PlotHeatmap(Path.Combine(outDir, $"heatmap-{v.File}-init.png"), $"{v.Name} at init", initial[v]);
    PlotHeatmap(Path.Combine(outDir, $"heatmap-{v.File}-trained.png"), $"{v.Name} trained (T={probeTrainedAt})", trained[v]);
}

// (d) exploding gradients: the vanilla RNN with its recurrent weights scaled up, then training with and without clipping.
var exploding = new List<(string, Color, GradientProfile, bool)>();
foreach (var (cell, factor, color) in new[] { (RnnCellType.RnnTanh, 1.0, Colors.Red), (RnnCellType.RnnTanh, 2.0, Colors.Orange), (RnnCellType.RnnTanh, 3.0, Colors.Purple), (RnnCellType.RnnTanh, 4.0, Colors.Black), (RnnCellType.RnnRelu, 3.0, Colors.Brown) })
{
    using var model = NewModel(cell);
    RecurrentInitialization.ScaleRecurrentWeights(model, factor);
    exploding.Add(($"{(cell == RnnCellType.RnnTanh ? "tanh" : "ReLU")} RNN, weight_hh × {factor.ToString(inv)}", color, GradientProbe.Measure(model, probeSet)[0], false));
}
PlotNorms(Path.Combine(outDir, "exploding-gradient.png"), "Vanilla RNN, recurrent weights scaled: ‖∂L_T/∂h_t‖ against distance (init)", exploding);
var explodingTable = new Table().AddColumn("init");
foreach (int d in distances)
    explodingTable.AddColumn($"d={d}");
foreach (var (label, _, profile, _) in exploding)
    explodingTable.AddRow([label, .. distances.Select(d => Scientific(profile.NormAtDistance(d)))]);
AnsiConsole.Write(explodingTable);

// Plain SGD, so the step is as large as the gradient; the same seed and data with and without clipping.
var clipTable = new Table().AddColumns("model", "clipping", "result", "train loss by epoch");
foreach (var (cell, factor, sgdRate, T) in new[] { (RnnCellType.RnnTanh, 3.0, 0.5, 25), (RnnCellType.RnnRelu, 3.0, 0.1, 50) })
{
    var train = task.Generate(2048, T, seed: 400 + T);
    var validation = task.Generate(512, T, seed: 500 + T);
    foreach (double? maxNorm in new double?[] { null, 1.0 })
    {
        using var model = NewModel(cell);
        RecurrentInitialization.ScaleRecurrentWeights(model, factor);
        var sgd = new ClassifierTrainer(new RnnTrainingOptions
        {
            Epochs = 5,
            BatchSize = BatchSize,
            Optimizer = RnnOptimizer.Sgd,
            LearningRate = sgdRate,
            MaxGradNorm = maxNorm,
            Seed = 3,
            ProgressInterval = 1,
        });
        string what = string.Create(inv, $"{(cell == RnnCellType.RnnTanh ? "tanh" : "ReLU")} RNN × {factor}, SGD lr {sgdRate}, T={T}");
        string clipping = maxNorm is null ? "none" : $"norm {maxNorm.Value.ToString(inv)}";
        try
        {
            var result = SampleConsole.Train($"{what}, clipping {clipping}", sgd.Options, "loss", exportOnCancel: false,
                (progress, token) => sgd.Train(model, train, validation, progress, token));
            if (result is null)
                return;   // Ctrl+C: nothing to report
            clipTable.AddRow(what, clipping, Markup.Escape(string.Create(inv, $"finite; best validation accuracy {result.Best.ValidationAccuracy:P1}")),
                string.Join(", ", result.History.Select(e => e.TrainLoss.ToString("G3", inv))));
        }
        catch (InvalidOperationException e)
        {
            clipTable.AddRow(what, clipping, "[red]diverged[/]", Markup.Escape(e.Message));
        }
    }
}
AnsiConsole.MarkupLine(string.Create(inv, $"Exploding gradients, 5 epochs of 2048 memory-task sequences (loss at chance: ln {task.Classes} = {Math.Log(task.Classes):F3}):"));
AnsiConsole.Write(clipTable);
AnsiConsole.MarkupLine($"Pictures in [bold]{Markup.Escape(Path.GetFullPath(outDir))}[/]; whole run {runClock.Elapsed:mm\\:ss}.");

string Scientific(double value) => value.ToString("0.0e0", inv);

void PlotNorms(string path, string title, IEnumerable<(string Label, Color Color, GradientProfile Profile, bool Dashed)> lines)
{
    var plot = new Plot();
    foreach (var (label, color, profile, dashed) in lines)
    {
        double[] x = Enumerable.Range(0, profile.Steps).Select(d => (double)d).ToArray();
        // Log scale by hand: ScottPlot plots log10 of the value and labels the ticks as powers of ten.
        double[] y = x.Select(d => Math.Log10(Math.Max(profile.NormAtDistance((int)d), 1e-30))).ToArray();
        var line = plot.Add.ScatterLine(x, y);
        line.LegendText = label;
        line.Color = color;
        line.LineWidth = 2;
        if (dashed)
            line.LinePattern = LinePattern.Dashed;
    }
    var ticks = new ScottPlot.TickGenerators.NumericAutomatic
    {
        MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
        IntegerTicksOnly = true,
        LabelFormatter = y => $"1e{y.ToString("0", inv)}",
    };
    plot.Axes.Left.TickGenerator = ticks;
    plot.Title(title);
    plot.XLabel("distance from the last step (T − 1 − t)");
    plot.YLabel("mean ‖∂L_T/∂h_t‖ (log scale)");
    plot.ShowLegend(Edge.Right);
    plot.SavePng(path, 1100, 550);
    AnsiConsole.MarkupLine($"Picture: [link]{Markup.Escape(path)}[/]");
}

void PlotHeatmap(string path, string title, GradientProfile profile)
{
    // log10 of |∂L_T/∂h_t[u]|; cells more than 6 decades below the picture's largest value count as zero and are grey.
    double max = profile.MeanAbs.Max();
    double floor = Math.Log10(max) - 6;
    var data = new double[profile.Units, profile.Steps];
    for (int u = 0; u < profile.Units; u++)
    {
        for (int t = 0; t < profile.Steps; t++)
        {
            double v = Math.Log10(profile.MeanAbs[t * profile.Units + u]);
            data[u, t] = v >= floor ? v : double.NaN;
        }
    }
    var plot = new Plot();
    var heatmap = plot.Add.Heatmap(data);
    heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
    heatmap.NaNCellColor = Colors.LightGray;
    heatmap.ManualRange = new ScottPlot.Range(floor, Math.Log10(max));
    var bar = plot.Add.ColorBar(heatmap);
    bar.Label = "log10 mean |∂L_T/∂h_t[u]|";
    plot.Title($"{title}: |∂L_T/∂h_t| per step and unit (grey: < 1e-6 of the largest)");
    plot.XLabel("step t (the loss is at the last step, on the right)");
    plot.YLabel("hidden unit");
    plot.SavePng(path, 900, 500);
    AnsiConsole.MarkupLine($"Picture: [link]{Markup.Escape(path)}[/]");
}

void PlotAccuracy(string path)
{
    var plot = new Plot();
    double[] x = lengths.Select(t => (double)t).ToArray();
    foreach (var v in variants)
    {
        var line = plot.Add.Scatter(x, lengths.Select(t => accuracy[(v, t)] * 100).ToArray());
        line.LegendText = v.Name;
        line.Color = v.Color;
        line.LineWidth = 2;
    }
    var chance = plot.Add.HorizontalLine(100.0 / task.Classes);
    chance.LegendText = "chance";
    chance.Color = Colors.Gray;
    chance.LinePattern = LinePattern.Dashed;
    plot.Axes.SetLimitsY(0, 105);
    plot.Title("First-token memory task: test accuracy against sequence length T (same budget each)");
    plot.XLabel("sequence length T");
    plot.YLabel("test accuracy (%)");
    plot.ShowLegend(Edge.Right);
    plot.SavePng(path, 1100, 550);
    AnsiConsole.MarkupLine($"Picture: [link]{Markup.Escape(path)}[/]");
}

static string CpuDescription()
{
    try
    {
        var lines = File.ReadLines("/proc/cpuinfo").ToList();
        string model = lines.FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        string flags = lines.FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal)) ?? "";
        string isa = flags.Contains(" avx512f", StringComparison.Ordinal) ? "AVX-512" : flags.Contains(" avx2", StringComparison.Ordinal) ? "AVX2" : "no AVX2";
        return $"{model}, {isa}, {Environment.ProcessorCount} cores";
    }
    catch (IOException)
    {
        return $"{Environment.ProcessorCount} cores";
    }
}
