// Gradients through time for a vanilla RNN (tanh), an LSTM and a GRU of the same size: how strongly the loss at the last step
// depends on the hidden state of each earlier step (at initialisation and after training), what that means for a task that
// needs a long memory (the label is the first token, then T−1 random distractors), and exploding gradients with and
// without gradient-norm clipping.
// Usage: dotnet run -c Release --project samples/GradientFlow -- [--quick] [--out artifacts/gradient-flow] [--threads 1]
using System.Globalization;
using MlNetRnn.Samples;
using MlNetRnn.Training.Analysis;
using MlNetRnn.Training.Data;
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
Directory.CreateDirectory(outDir);

// One budget for every cell and every length: same hidden size, optimizer, learning rate, data and number of steps.
int hidden = quick ? 32 : 64;
const int EmbeddingDim = 16;
int trainCount = quick ? 256 : 2048, validationCount = quick ? 128 : 512, testCount = quick ? 256 : 1000;
int epochs = quick ? 2 : 6;
const int BatchSize = 64;
const double LearningRate = 3e-3;
int[] lengths = quick ? [10, 25, 50] : [10, 25, 50, 100, 200];
int probeLength = quick ? 51 : 101, probeBatch = quick ? 64 : 256;
int probeTrainedAt = quick ? 50 : 100;
var task = new FirstTokenMemoryTask(classes: 4, distractors: 16);
(RnnCellType Cell, string Name, Color Color)[] cells =
[
    (RnnCellType.RnnTanh, "RNN (tanh)", Colors.Red),
    (RnnCellType.Lstm, "LSTM", Colors.Blue),
    (RnnCellType.Gru, "GRU", Colors.Green),
];

AnsiConsole.MarkupLine($"[bold]Gradient flow[/] {(quick ? "(quick)" : "")}: {Markup.Escape(CpuDescription())}, {threads} libtorch thread(s).");
AnsiConsole.MarkupLine(string.Create(inv,
    $"Budget per cell and length: embedding {EmbeddingDim}, hidden {hidden}, Adam lr {LearningRate}, batch {BatchSize}, {epochs} epochs × {trainCount / BatchSize} steps = {epochs * ((trainCount + BatchSize - 1) / BatchSize)} steps, clipping at norm 5 (the trainer's default)."));
AnsiConsole.MarkupLine(string.Create(inv,
    $"Memory task: {task.Classes} classes (chance {1.0 / task.Classes:P0}), {task.Distractors} distractor tokens; train {trainCount}, validation {validationCount}, test {testCount} sequences per length."));

RnnSequenceModel NewModel(RnnCellType cell)
{
    torch.manual_seed(1);
    return new RnnSequenceModel(new RnnModelConfig(RnnTask.SequenceClassification, cell, task.VocabSize, EmbeddingDim, hidden, NumClasses: task.Classes));
}

// (a, b) at initialisation.
var probeSet = task.Generate(probeBatch, probeLength, seed: 7);
var initial = new Dictionary<RnnCellType, GradientProfile>();
var trained = new Dictionary<RnnCellType, GradientProfile>();
foreach (var (cell, _, _) in cells)
{
    using var model = NewModel(cell);
    initial[cell] = GradientProbe.Measure(model, probeSet)[0];
}

// (c) accuracy against T, each cell with the same budget through the project's trainer.
var accuracy = new Dictionary<(RnnCellType, int), double>();
var speed = new List<(string Cell, int T, double TokensPerSecond, TimeSpan Elapsed)>();
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
    foreach (var (cell, name, _) in cells)
    {
        using var model = NewModel(cell);
        var result = SampleConsole.Train($"{name} T={T}", (progress, token) => trainer.Train(model, train, validation, progress, token));
        accuracy[(cell, T)] = RnnEvaluator.Evaluate(model, test).Accuracy;
        speed.Add((name, T, result.History.Average(e => e.TokensPerSecond), result.Elapsed));
        if (T == probeTrainedAt)
            trained[cell] = GradientProbe.Measure(model, probeSet)[0];
    }
}

var accuracyTable = new Table().AddColumn("T");
foreach (var (_, name, _) in cells)
    accuracyTable.AddColumn(name + " test accuracy");
foreach (int T in lengths)
    accuracyTable.AddRow([T.ToString(inv), .. cells.Select(c => accuracy[(c.Cell, T)].ToString("P1", inv))]);
AnsiConsole.Write(accuracyTable);
AnsiConsole.MarkupLine(string.Create(inv, $"[grey]Chance: {1.0 / task.Classes:P0}. Training speed (mean over epochs): {string.Join(", ", speed.Select(s => $"{s.Cell} T={s.T} {s.TokensPerSecond:N0} tok/s in {s.Elapsed:mm\\:ss}"))}.[/]"));
PlotAccuracy(Path.Combine(outDir, "accuracy-vs-length.png"));

// (a) table and picture: gradient norm against distance.
int[] distances = [0, 1, 5, 10, 20, 50, 100];
distances = distances.Where(d => d < probeLength).ToArray();
var normTable = new Table().AddColumn("cell").AddColumn("when");
foreach (int d in distances)
    normTable.AddColumn($"d={d}");
foreach (var (cell, name, _) in cells)
{
    normTable.AddRow([name, "init", .. distances.Select(d => initial[cell].NormAtDistance(d).ToString("E2", inv))]);
    normTable.AddRow([name, $"trained T={probeTrainedAt}", .. distances.Select(d => trained[cell].NormAtDistance(d).ToString("E2", inv))]);
}
AnsiConsole.MarkupLine(string.Create(inv, $"Mean ‖∂L_T/∂h_t‖ at distance d = T−1−t, {probeBatch} memory-task sequences of length {probeLength}:"));
AnsiConsole.Write(normTable);
if (probeLength > 50)
{
    foreach (var (what, profiles) in new[] { ("init", initial), ($"trained T={probeTrainedAt}", trained) })
    {
        double rnn = profiles[RnnCellType.RnnTanh].NormAtDistance(50);
        AnsiConsole.MarkupLine(string.Create(inv,
            $"Gradient ratio at distance 50, {what}: LSTM / RNN = {profiles[RnnCellType.Lstm].NormAtDistance(50) / rnn:E2}, GRU / RNN = {profiles[RnnCellType.Gru].NormAtDistance(50) / rnn:E2}"));
    }
}

PlotNorms(Path.Combine(outDir, "gradient-vs-distance.png"), "‖∂L_T/∂h_t‖ against distance (solid: init, dashed: trained)",
    cells.SelectMany(c => new[] { ($"{c.Name} init", c.Color, initial[c.Cell], false), ($"{c.Name} trained", c.Color, trained[c.Cell], true) }));

// (b) the per-step picture: |∂L_T/∂h_t[u]| over steps and units.
foreach (var (cell, name, _) in cells)
{
    string file = name.Split(' ')[0].ToLowerInvariant();
    PlotHeatmap(Path.Combine(outDir, $"heatmap-{file}-init.png"), $"{name} at init", initial[cell]);
    PlotHeatmap(Path.Combine(outDir, $"heatmap-{file}-trained.png"), $"{name} trained (T={probeTrainedAt})", trained[cell]);
}

// (d) exploding gradients: the tanh RNN with its recurrent weights scaled up, then training with and without clipping.
double[] factors = [1, 2, 4];
var exploding = new List<(string, Color, GradientProfile, bool)>();
Color[] factorColors = [Colors.Red, Colors.Orange, Colors.Purple];
for (int i = 0; i < factors.Length; i++)
{
    using var model = NewModel(RnnCellType.RnnTanh);
    RecurrentInitialization.ScaleRecurrentWeights(model, factors[i]);
    exploding.Add(($"weight_hh × {factors[i]}", factorColors[i], GradientProbe.Measure(model, probeSet)[0], false));
}
PlotNorms(Path.Combine(outDir, "exploding-gradient.png"), "RNN (tanh), recurrent weights scaled: ‖∂L_T/∂h_t‖ against distance", exploding);
var explodingTable = new Table().AddColumn("weight_hh ×");
foreach (int d in distances)
    explodingTable.AddColumn($"d={d}");
foreach (var (label, _, profile, _) in exploding)
    explodingTable.AddRow([label, .. distances.Select(d => profile.NormAtDistance(d).ToString("E2", inv))]);
AnsiConsole.Write(explodingTable);

const double ExplodeFactor = 4, SgdRate = 1.0;
int explodeT = quick ? 50 : 100;
var explodeTrain = task.Generate(trainCount, explodeT, seed: 400);
var explodeValidation = task.Generate(validationCount, explodeT, seed: 401);
var clipTable = new Table().AddColumns("clipping", "result", "train loss by epoch");
foreach (double? maxNorm in new double?[] { null, 1.0 })
{
    using var model = NewModel(RnnCellType.RnnTanh);
    RecurrentInitialization.ScaleRecurrentWeights(model, ExplodeFactor);
    var sgd = new ClassifierTrainer(new RnnTrainingOptions
    {
        Epochs = epochs,
        BatchSize = BatchSize,
        Optimizer = RnnOptimizer.Sgd,
        LearningRate = SgdRate,
        MaxGradNorm = maxNorm,
        Seed = 3,
        ProgressInterval = 1,
    });
    string label = maxNorm is null ? "none" : $"max norm {maxNorm.Value.ToString(inv)}";
    try
    {
        var result = SampleConsole.Train($"RNN ×{ExplodeFactor} SGD, clipping {label}", (progress, token) => sgd.Train(model, explodeTrain, explodeValidation, progress, token));
        clipTable.AddRow(label, Markup.Escape($"finished, validation accuracy {result.Best.ValidationAccuracy:P1}"),
            string.Join(", ", result.History.Select(e => e.TrainLoss.ToString("G3", inv))));
    }
    catch (InvalidOperationException e)
    {
        clipTable.AddRow(label, "[red]diverged[/]", Markup.Escape(e.Message));
    }
}
AnsiConsole.MarkupLine(string.Create(inv, $"Exploding: RNN (tanh) with weight_hh × {ExplodeFactor}, plain SGD lr {SgdRate}, memory task T={explodeT}, {epochs} epochs:"));
AnsiConsole.Write(clipTable);
AnsiConsole.MarkupLine($"Pictures in [bold]{Markup.Escape(Path.GetFullPath(outDir))}[/].");

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
    plot.ShowLegend();
    plot.SavePng(path, 900, 550);
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
    foreach (var (cell, name, color) in cells)
    {
        var line = plot.Add.Scatter(x, lengths.Select(t => accuracy[(cell, t)] * 100).ToArray());
        line.LegendText = name;
        line.Color = color;
        line.LineWidth = 2;
    }
    var chance = plot.Add.HorizontalLine(100.0 / task.Classes);
    chance.LegendText = "chance";
    chance.Color = Colors.Gray;
    chance.LinePattern = LinePattern.Dashed;
    plot.Axes.SetLimitsY(0, 105);
    plot.Title("First-token memory task: test accuracy against sequence length T (same budget per cell)");
    plot.XLabel("sequence length T");
    plot.YLabel("test accuracy (%)");
    plot.ShowLegend();
    plot.SavePng(path, 900, 550);
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
