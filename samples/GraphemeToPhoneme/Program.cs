// English grapheme-to-phoneme conversion on the CMU Pronouncing Dictionary (many-to-many with delay): an encoder reads the
// whole spelling, a decoder (with attention over the encoder's outputs by default) writes the phonemes. The test words are
// scored through the ML.NET transformer (beam search on ONNX Runtime) and reported as word and phoneme error rates.
// Usage: dotnet run -c Release --project samples/GraphemeToPhoneme -- [--no-attention] [--epochs 20] [--hidden 256]
//   [--embedding 64] [--layers 1] [--dropout 0.2] [--batch 64] [--lr 0.002] [--beam 5] [--max-minutes 55] [--name NAME]
//   [--models-dir DIR] [--examples 12] [--export-on-cancel] [--quick]
using System.Globalization;
using MlNetRnn.Samples;
using MlNetRnn.Training.Data;
using MlNetRnn.Training.Datasets;
using MlNetRnn.Training.Evaluation;
using MlNetRnn.Training.Export;
using MlNetRnn.Training.Generation;
using MlNetRnn.Training.Models;
using MlNetRnn.Training.Training;
using MlNetRnn.Transforms.Generation;
using Microsoft.ML;
using Microsoft.ML.Data;
using Spectre.Console;
using TorchSharp;

bool quick = SampleConsole.Flag(args, "quick");
bool attention = !SampleConsole.Flag(args, "no-attention");
int epochs = SampleConsole.Option(args, "epochs", quick ? 1 : 20);
int hidden = SampleConsole.Option(args, "hidden", quick ? 16 : 256);
int embedding = SampleConsole.Option(args, "embedding", quick ? 8 : 64);
int layers = SampleConsole.Option(args, "layers", 1);
double dropout = SampleConsole.Option(args, "dropout", quick ? 0.0 : 0.2);
int batchSize = SampleConsole.Option(args, "batch", 64);
double learningRate = SampleConsole.Option(args, "lr", 2e-3);
int beam = SampleConsole.Option(args, "beam", quick ? 2 : 5);
double maxMinutes = SampleConsole.Option(args, "max-minutes", quick ? 0.0 : 55.0);   // 0 = no time budget
string name = SampleConsole.Option(args, "name", "cmudict-g2p" + (attention ? "" : "-plain") + (quick ? "-quick" : ""));
string modelsDir = SampleConsole.Option(args, "models-dir", SampleConsole.ModelsDirectory());
int examples = SampleConsole.Option(args, "examples", 12);
bool exportOnCancel = SampleConsole.Flag(args, "export-on-cancel");
if (maxMinutes < 0)
    throw new ArgumentException($"--max-minutes: expected 0 (no budget) or a positive number of minutes, got {maxMinutes}.");
if (beam < 1)
    throw new ArgumentException($"--beam: expected a beam size of at least 1, got {beam}.");
torch.set_num_threads(Environment.ProcessorCount);

var dictionary = SampleConsole.LoadData(CmuPronouncingDictionary.Load);
var split = dictionary.Split();
if (quick)   // a seconds-long smoke run: a few hundred words of each part
    split = new DataSplit<WordPronunciation>(Sample(split.Train, 400), Sample(split.Validation, 50), Sample(split.Test, 50));
AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
    $"CMU Pronouncing Dictionary: {dictionary.TotalEntries:N0} entries; {dictionary.AlternativesDropped:N0} alternative pronunciations and {dictionary.WordsDropped:N0} words with other characters than a–z and ' dropped; {dictionary.Entries.Count:N0} words, {CmuPronouncingDictionary.Phonemes.Count} phonemes (stress removed)."));
AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
    $"Split by word ({HashSplit.Description}): train {split.Train.Count:N0}, validation {split.Validation.Count:N0}, test {split.Test.Count:N0}{(quick ? " (--quick subset)" : "")}."));
AnsiConsole.MarkupLine("For orientation (other splits): Yao & Zweig 2015 report on CMUdict an encoder–decoder LSTM at 7.6 % PER / 28.6 % WER, joint-sequence n-gram models at 24–25 % WER, their best bidirectional LSTM at 5.5 % PER / 23.6 % WER.");

// Source: the word's characters (vocabulary from the training words; an unseen character reads as the unknown id).
// Target: the 39 phonemes, joined with spaces.
var letters = Vocabulary.BuildCharacterLevel(split.Train.Select(e => e.Word), lowercase: false);
var phonemes = TargetVocabulary.FromTokens(CmuPronouncingDictionary.Phonemes, joiner: " ");
List<SequencePair> Pairs(IEnumerable<WordPronunciation> items) => items.Select(e => new SequencePair(letters.Encode(e.Word), phonemes.Encode(e.Phonemes))).ToList();
int maxTarget = split.Train.Max(e => e.Phonemes.Count);

torch.manual_seed(1);
var config = new EncoderDecoderConfig(RnnCellType.Lstm, letters.Count, phonemes.Count, embedding, hidden,
    EncoderLayers: layers, DecoderLayers: layers, Bidirectional: true, Attention: attention, Dropout: dropout, SourcePadId: Vocabulary.PadId);
using var model = new EncoderDecoderModel(config);
var options = new RnnTrainingOptions
{
    Epochs = epochs,
    BatchSize = batchSize,
    LearningRate = learningRate,
    LearningRateDecay = 0.9,
    MaxGradNorm = 5.0,
    EarlyStoppingPatience = 3,
    Seed = 1,
};
TimeSpan? budget = maxMinutes > 0 ? TimeSpan.FromMinutes(maxMinutes) : null;
string title = $"G2P {(attention ? "attention" : "plain")} {layers}×{hidden} LSTM";
var result = SampleConsole.Train(title, options, "nats/phoneme", exportOnCancel,
    (progress, ct) => new GeneratorTrainer(options).Train(model, Pairs(split.Train), Pairs(split.Validation), progress, ct), budget);
if (result is null)
    return;
SampleConsole.PrintHistory(result, "nats/phoneme");
SampleConsole.PlotHistory(result, $"CMUdict grapheme-to-phoneme ({(attention ? "attention" : "plain encoder–decoder")})", "nats/phoneme", Path.Combine(modelsDir, name + ".loss.png"));

// Export: encoder and decoder-step graphs in one package, checked against TorchSharp on held-out words.
var testWords = split.Test;
int maxLength = maxTarget + 5;
var exportOptions = new GeneratorExportOptions { MaxSourceLength = split.Train.Max(e => e.Word.Length), MaxTargetLength = maxTarget };
byte[] package = GeneratorExporter.Export(model, letters, phonemes, exportOptions);
var parity = GeneratorParity.Verify(model, package, testWords.Take(64).Select(e => letters.Encode(e.Word)).ToList(), maxLength);

// The test words scored through the ML.NET transformer: beam search on ONNX Runtime, batched across rows.
var ml = new MLContext(seed: 1);
var words = ml.Data.LoadFromEnumerable(testWords.Select(e => new WordRow { Text = e.Word }));
var clock = System.Diagnostics.Stopwatch.StartNew();
IReadOnlyList<IReadOnlyList<string>> predicted;
using (var transformer = ml.Transforms.GenerateSequence(new RnnSequenceGenerationOptions
{
    PackageBytes = package,
    InputColumnName = nameof(WordRow.Text),
    BeamSize = beam,
    MaxLength = maxLength,
}).Fit(words))
{
    predicted = transformer.Transform(words).GetColumn<string>("GeneratedText")
        .Select(text => (IReadOnlyList<string>)text.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
}
var rates = SequenceErrorRates.Compute(testWords.Select(e => e.Phonemes).ToList(), predicted);
AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
    $"Test ({rates.Sequences:N0} words, beam {beam}, ML.NET transformer on ONNX Runtime, {clock.Elapsed.TotalSeconds:F1} s): word error rate [bold]{rates.WordErrorRate:P2}[/], phoneme error rate [bold]{rates.TokenErrorRate:P2}[/] ({rates.TokenEdits:N0} edits / {rates.ReferenceTokens:N0} phonemes)."));

var sideBySide = new Table().AddColumns("word", "reference", "predicted", "");
foreach (int i in Enumerable.Range(0, Math.Min(examples, testWords.Count)).Select(k => k * testWords.Count / Math.Min(examples, testWords.Count)))
{
    bool right = SequenceErrorRates.EditDistance(testWords[i].Phonemes, predicted[i]) == 0;
    sideBySide.AddRow(Markup.Escape(testWords[i].Word), string.Join(' ', testWords[i].Phonemes), string.Join(' ', predicted[i]), right ? "[green]✓[/]" : "[red]✗[/]");
}
AnsiConsole.Write(sideBySide);

string command = string.Create(CultureInfo.InvariantCulture,
    $"dotnet run -c Release --project samples/GraphemeToPhoneme --{(attention ? "" : " --no-attention")} --epochs {epochs} --hidden {hidden} --embedding {embedding} --layers {layers} --dropout {dropout} --batch {batchSize} --lr {learningRate} --beam {beam} --max-minutes {maxMinutes}")
    + (quick ? " --quick" : "");
var c = model.Config;
ModelCard.PublishGenerator(modelsDir, name, package, parity,
    [
        string.Create(CultureInfo.InvariantCulture, $"Encoder: {c.EncoderLayers}-layer bidirectional {c.Cell}, hidden {c.HiddenSize} per direction; characters embedded in {c.EmbeddingDim} ({letters.Count} ids: pad, unknown and {letters.Count - 2} characters)"),
        string.Create(CultureInfo.InvariantCulture, $"Decoder: {c.DecoderLayers}-layer {c.Cell}, hidden {c.HiddenSize}, started from the encoder's final states through a learned bridge; {(attention ? "Luong (general) attention over the encoder outputs, masked by the word's length" : "no attention (the plain encoder–decoder)")}; phonemes embedded in {c.EmbeddingDim} ({phonemes.Count} ids: pad, BOS, EOS and the 39 phonemes); dropout {c.Dropout}"),
        string.Create(CultureInfo.InvariantCulture, $"Parameters: {model.parameters().Sum(p => p.numel()):N0}"),
    ],
    $"CMUdict grapheme-to-phoneme, encoder–decoder {(attention ? "with attention" : "without attention")}",
    "English spelling → ARPAbet phonemes (39, no stress) for words outside a pronouncing dictionary. In ML.NET: `mlContext.Transforms.GenerateSequence(\"" + name + ".zip\", \"Text\")` generates the phonemes (space-separated) by beam search on ONNX Runtime.",
    string.Create(CultureInfo.InvariantCulture, $"CMU Pronouncing Dictionary (npm `cmu-pronouncing-dictionary@3.0.0`, package licence ISC): {dictionary.TotalEntries:N0} entries; each word's primary pronunciation, words of a–z and apostrophes only: {dictionary.Entries.Count:N0} words, stress digits removed. Split by word ({HashSplit.Description}): {split.Train.Count:N0} / {split.Validation.Count:N0} / {split.Test.Count:N0}."),
    result,
    [
        ("test word error rate", rates.WordErrorRate.ToString("P2", CultureInfo.InvariantCulture), "Yao & Zweig 2015 (other split): encoder–decoder LSTM 28.6 %, joint-sequence n-gram 24–25 %, best BiLSTM 23.6 %"),
        ("test phoneme error rate", rates.TokenErrorRate.ToString("P2", CultureInfo.InvariantCulture), "Yao & Zweig 2015 (other split): encoder–decoder LSTM 7.6 %, best BiLSTM 5.5 %"),
    ],
    string.Create(CultureInfo.InvariantCulture, $"Scored through the ML.NET transformer (`GenerateSequence`, beam {beam}, at most {maxLength} phonemes) on the {rates.Sequences:N0} test words. Word error rate: a word with any phoneme wrong; phoneme error rate: summed Levenshtein distance / summed reference length ({rates.TokenEdits:N0} / {rates.ReferenceTokens:N0}). The published figures use other splits (and some count a word right when it matches any of its pronunciations); they are for orientation only."),
    command);

static List<WordPronunciation> Sample(IReadOnlyList<WordPronunciation> items, int n) => items.Where((_, i) => i % Math.Max(1, items.Count / n) == 0).Take(n).ToList();

/// <summary>One input row of the ML.NET pipeline: a word to pronounce.</summary>
internal sealed class WordRow
{
    public string Text { get; set; } = "";
}
