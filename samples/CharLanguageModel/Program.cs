// Character-level language model on Moby Dick or on JavaScript source: truncated BPTT, best epoch chosen on validation,
// nats per character on a held-out test split evaluated once, text sampled one character at a time, ONNX export with
// every layer's hidden states (for samples/HiddenUnits); compared with n-gram baselines on the same split.
// Usage: dotnet run -c Release --project samples/CharLanguageModel -- [--corpus moby|code] [--epochs 6] [--hidden 256]
//   [--layers 2] [--embedding 64] [--dropout 0.1] [--lr 0.002] [--lr-decay 0.9] [--batch 64] [--chunk 100]
//   [--max-minutes 0] [--chars 0] [--name NAME] [--models-dir DIR] [--baselines-only] [--export-on-cancel]
using System.Globalization;
using MlNetRnn.Samples;
using MlNetRnn.Training.Baselines;
using MlNetRnn.Training.Data;
using MlNetRnn.Training.Export;
using MlNetRnn.Training.Models;
using MlNetRnn.Training.Training;
using Spectre.Console;
using TorchSharp;

string corpus = SampleConsole.Option(args, "corpus", "moby");
int epochs = SampleConsole.Option(args, "epochs", 6);
int hidden = SampleConsole.Option(args, "hidden", 256);
int layers = SampleConsole.Option(args, "layers", 2);
int embedding = SampleConsole.Option(args, "embedding", 64);
double dropout = SampleConsole.Option(args, "dropout", 0.1);
double learningRate = SampleConsole.Option(args, "lr", 2e-3);
double learningRateDecay = SampleConsole.Option(args, "lr-decay", 0.9);
int batchSize = SampleConsole.Option(args, "batch", 64);
int chunkLength = SampleConsole.Option(args, "chunk", 100);
double maxMinutes = SampleConsole.Option(args, "max-minutes", 0.0);   // 0 = no time budget
int maxChars = SampleConsole.Option(args, "chars", 0);                // 0 = the whole corpus
string name = SampleConsole.Option(args, "name", CharCorpus.DefaultModelName(corpus));
string modelsDir = SampleConsole.Option(args, "models-dir", SampleConsole.ModelsDirectory());
bool baselinesOnly = SampleConsole.Flag(args, "baselines-only");
bool exportOnCancel = SampleConsole.Flag(args, "export-on-cancel");
if (maxMinutes < 0)
    throw new ArgumentException($"--max-minutes: expected 0 (no budget) or a positive number of minutes, got {maxMinutes}.");
torch.set_num_threads(Environment.ProcessorCount);

string text = CharCorpus.Truncate(SampleConsole.LoadData(CharCorpus.Loader(corpus)), maxChars);
var (trainText, validText, testText) = CharCorpus.Split(text);
var vocabulary = Vocabulary.BuildCharacterLevel([trainText], lowercase: false);
int[] trainIds = vocabulary.Encode(trainText), validIds = vocabulary.Encode(validText), testIds = vocabulary.Encode(testText);
AnsiConsole.MarkupLine($"Corpus {corpus}: {text.Length:N0} characters, {vocabulary.Count} ids ({vocabulary.Count - 2} symbols + pad + unk); train {trainIds.Length:N0}, validation {validIds.Length:N0}, test {testIds.Length:N0} ({CharCorpus.SplitDescription}).");

// Baselines: add-one unigram, and interpolated Kneser-Ney trigram and 5-gram models counted on the training part; scored
// on validation and on test, every character predicted from the characters of its own part before it.
var trigramModel = KneserNeyNGramModel.Train(trainIds, 3, vocabulary.Count);
var fivegramModel = KneserNeyNGramModel.Train(trainIds, 5, vocabulary.Count);
var (validBaselines, testBaselines) = (Baselines(validIds), Baselines(testIds));
AnsiConsole.MarkupLine($"Baselines on validation, nats/char (perplexity): {Describe(validBaselines)}.");
AnsiConsole.MarkupLine($"Baselines on test, nats/char (perplexity): {Describe(testBaselines)}.");
if (baselinesOnly)
    return;

torch.manual_seed(1);
var config = new RnnModelConfig(RnnTask.LanguageModel, RnnCellType.Lstm, vocabulary.Count, embedding, hidden, layers, Dropout: dropout);
using var model = new RnnSequenceModel(config);
var options = new RnnTrainingOptions
{
    Epochs = epochs,
    BatchSize = batchSize,
    ChunkLength = chunkLength,
    LearningRate = learningRate,
    LearningRateDecay = learningRateDecay,
    MaxGradNorm = 5.0,
    EarlyStoppingPatience = 2,
    Seed = 1,
};
TimeSpan? budget = maxMinutes > 0 ? TimeSpan.FromMinutes(maxMinutes) : null;
var result = SampleConsole.Train($"char LM {layers}×{hidden} LSTM", options, "nats/char", exportOnCancel,
    (progress, ct) => new LanguageModelTrainer(options).Train(model, trainIds, validIds, progress, ct), budget);
if (result is null)
    return;
SampleConsole.PrintHistory(result, "nats/char");
double validNats = result.Best.ValidationLoss ?? double.NaN;
AnsiConsole.MarkupLine($"Validation: [bold]{validNats:F3}[/] nats/char (perplexity {Math.Exp(validNats):F2}); next-char accuracy {result.Best.ValidationAccuracy:P1}.");

// The test split, once: one stream with the state carried through it, so every character but the first is predicted from
// all the test characters before it, as the n-gram baselines predict them.
var test = RnnEvaluator.EvaluateLanguageModel(model, testIds, batchSize: 1);
AnsiConsole.MarkupLine($"Test: [bold]{test.Loss:F3}[/] nats/char (perplexity {Math.Exp(test.Loss):F2}); next-char accuracy {test.Accuracy:P1}; 5-gram baseline {testBaselines.Fivegram:F3}.");

string corpusTitle = corpus == "moby" ? "Moby Dick" : "JavaScript (ESLint rules)";
SampleConsole.PlotHistory(result, $"{corpusTitle} character LM", "nats/char", Path.Combine(modelsDir, name + ".loss.png"));

var paritySample = Enumerable.Range(0, 16).Select(i => testIds.Skip(i * 200).Take(1 + i * 12).ToArray()).Where(s => s.Length > 0).ToList();
// As OnnxExportOptions.For(vocabulary, …), plus every layer's hidden state as an output for samples/HiddenUnits.
var exportOptions = new OnnxExportOptions
{
    Vocabulary = vocabulary.Tokens,
    UnkId = Vocabulary.UnkId,
    Tokenization = vocabulary.Settings,
    Metrics = new Dictionary<string, double>
    {
        ["val_nats_per_char"] = validNats,
        ["val_accuracy"] = result.Best.ValidationAccuracy ?? double.NaN,
        ["test_nats_per_char"] = test.Loss,
        ["test_accuracy"] = test.Accuracy,
    },
    IncludeLayerStates = true,
};
string command = string.Create(CultureInfo.InvariantCulture,
    $"dotnet run -c Release --project samples/CharLanguageModel -- --corpus {corpus} --epochs {epochs} --hidden {hidden} --layers {layers} --embedding {embedding} --dropout {dropout} --lr {learningRate} --lr-decay {learningRateDecay} --batch {batchSize} --chunk {chunkLength}")
    + (maxMinutes > 0 ? string.Create(CultureInfo.InvariantCulture, $" --max-minutes {maxMinutes}") : "")
    + (maxChars > 0 ? $" --chars {maxChars}" : "")
    + (name != CharCorpus.DefaultModelName(corpus) ? $" --name {name}" : "");
ModelCard.Publish(modelsDir, name, model, exportOptions, paritySample,
    $"{corpusTitle} character-level LSTM language model",
    corpus == "moby"
        ? "Next-character prediction and sampling of English prose in the style of Moby Dick; a teaching model for truncated BPTT, hidden-unit pictures (the graph outputs every layer's hidden state at every position) and text generation on ONNX Runtime (the graph's `initial_h`/`initial_c` inputs make it its own single-step form)."
        : "Next-character prediction of JavaScript source; a model to look inside for units that track comments, strings, `if` conditions and indentation (the graph outputs every layer's hidden state at every position), and for text generation on ONNX Runtime.",
    $"{CharCorpus.Source(corpus)}: {text.Length:N0} characters; {CharCorpus.SplitDescription}: {trainIds.Length:N0} / {validIds.Length:N0} / {testIds.Length:N0} characters; {vocabulary.Count - 2} distinct characters in the training part, no lowercasing (characters seen only in validation or test read as the unknown id).",
    result,
    [
        ("test nats/char", test.Loss.ToString("F3", CultureInfo.InvariantCulture), $"unigram {testBaselines.Unigram:F3}; trigram {testBaselines.Trigram:F3}; 5-gram {testBaselines.Fivegram:F3}"),
        ("test perplexity/char", Math.Exp(test.Loss).ToString("F2", CultureInfo.InvariantCulture), $"unigram {Math.Exp(testBaselines.Unigram):F2}; trigram {Math.Exp(testBaselines.Trigram):F2}; 5-gram {Math.Exp(testBaselines.Fivegram):F2}"),
        ("test next-char accuracy", test.Accuracy.ToString("P1", CultureInfo.InvariantCulture), "–"),
        ("validation nats/char (best epoch)", validNats.ToString("F3", CultureInfo.InvariantCulture), $"unigram {validBaselines.Unigram:F3}; trigram {validBaselines.Trigram:F3}; 5-gram {validBaselines.Fivegram:F3}"),
    ],
    "Baselines, counted on the same training part and scored on the same validation and test parts (every character predicted from the "
    + "characters of its part before it): unigram with add-one smoothing; trigram and 5-gram with interpolated Kneser–Ney smoothing "
    + "(Chen & Goodman 1998; one discount per order, D = n1 / (n1 + 2 n2)), bottoming out in the uniform distribution over the vocabulary. "
    + "The LSTM's test figure is evaluated once, after training, on the test part as one stream with the state carried through it; its validation "
    + $"figure is the trainer's validation loss of the kept epoch (the validation part cut into up to {options.BatchSize} parallel pieces, state carried within each piece), "
    + "the figure that chose the kept epoch and drove early stopping"
    + (test.Loss < testBaselines.Fivegram ? ". " : $"; at {test.Loss:F3} nats/char on test this LSTM does not beat the 5-gram baseline ({testBaselines.Fivegram:F3}). ")
    + $"Reproduce the baselines: `dotnet run -c Release --project samples/CharLanguageModel -- --corpus {corpus}{(maxChars > 0 ? $" --chars {maxChars}" : "")} --baselines-only`.",
    command);

string prompt = corpus == "moby" ? "Call me " : "if (";
AnsiConsole.MarkupLine("[bold]Sampled with TorchSharp (temperature 0.8):[/]");
Console.WriteLine(prompt + TextGenerator.Generate(model, vocabulary, prompt, 300, temperature: 0.8, seed: 7));

// The exported file is its own single-step form: generate with ONNX Runtime alone, as a scoring app would.
using (var generator = new MlNetRnn.Transforms.Generation.RnnTextGenerator(Path.Combine(modelsDir, name + ".onnx")))
{
    AnsiConsole.MarkupLine("[bold]Sampled with ONNX Runtime from the exported model (temperature 0.8):[/]");
    Console.WriteLine(prompt + generator.Generate(prompt, 300, temperature: 0.8, seed: 7));
}

(double Unigram, double Trigram, double Fivegram) Baselines(int[] ids) =>
    (UnigramNats(trainIds, ids, vocabulary.Count), trigramModel.CrossEntropy(ids), fivegramModel.CrossEntropy(ids));

static string Describe((double Unigram, double Trigram, double Fivegram) b) => string.Create(CultureInfo.InvariantCulture,
    $"unigram (add-one) [bold]{b.Unigram:F3}[/] ({Math.Exp(b.Unigram):F2}), trigram (interpolated Kneser-Ney) [bold]{b.Trigram:F3}[/] ({Math.Exp(b.Trigram):F2}), 5-gram (interpolated Kneser-Ney) [bold]{b.Fivegram:F3}[/] ({Math.Exp(b.Fivegram):F2})");

static double UnigramNats(int[] train, int[] valid, int vocabSize)
{
    var counts = new double[vocabSize];
    foreach (var id in train)
        counts[id]++;
    double total = train.Length + vocabSize;   // add-one smoothing
    return -valid.Average(id => Math.Log((counts[id] + 1) / total));
}
