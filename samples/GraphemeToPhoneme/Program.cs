// English grapheme-to-phoneme conversion on the CMU Pronouncing Dictionary (many-to-many with delay): an encoder reads the
// whole spelling, a decoder (with attention over the encoder's outputs by default) writes the phonemes. The test words are
// scored through the ML.NET transformer (beam search on ONNX Runtime) and reported as word and phoneme error rates.
// Usage: dotnet run -c Release --project samples/GraphemeToPhoneme -- [--no-attention] [--epochs 20] [--hidden 256]
//   [--embedding 64] [--layers 1] [--batch 64] [--lr 0.002] [--beam 5] [--max-minutes 55] [--name NAME]
//   [--models-dir DIR] [--examples 12] [--export-on-cancel] [--quick]
using System.Globalization;
using MlNetRnn.Samples;
using MlNetRnn.Training.Data;
using MlNetRnn.Training.Datasets;
using MlNetRnn.Training.Evaluation;
using MlNetRnn.Training.Generation;
using MlNetRnn.Training.Models;
using MlNetRnn.Training.Training;
using Spectre.Console;
using TorchSharp;

bool quick = SampleConsole.Flag(args, "quick");
bool attention = !SampleConsole.Flag(args, "no-attention");
int epochs = SampleConsole.Option(args, "epochs", quick ? 1 : 20);
int hidden = SampleConsole.Option(args, "hidden", quick ? 16 : 256);
int embedding = SampleConsole.Option(args, "embedding", quick ? 8 : 64);
int layers = SampleConsole.Option(args, "layers", 1);
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
    EncoderLayers: layers, DecoderLayers: layers, Bidirectional: true, Attention: attention, Dropout: quick ? 0.0 : 0.2, SourcePadId: Vocabulary.PadId);
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

// Test words: decoded, then scored against the dictionary's pronunciation.
var testWords = split.Test;
var predicted = new List<IReadOnlyList<string>>(testWords.Count);
foreach (var chunk in testWords.Chunk(256))
{
    foreach (var sequence in GeneratorSearch.Greedy(model, chunk.Select(e => letters.Encode(e.Word)).ToList(), maxTarget + 5))
        predicted.Add(sequence.Tokens.Select(id => phonemes[id]).ToList());
}
var rates = SequenceErrorRates.Compute(testWords.Select(e => e.Phonemes).ToList(), predicted);
AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
    $"Test ({rates.Sequences:N0} words, greedy, TorchSharp): word error rate [bold]{rates.WordErrorRate:P2}[/], phoneme error rate [bold]{rates.TokenErrorRate:P2}[/] ({rates.TokenEdits:N0} edits / {rates.ReferenceTokens:N0} phonemes)."));

var sideBySide = new Table().AddColumns("word", "reference", "predicted", "");
foreach (int i in Enumerable.Range(0, Math.Min(examples, testWords.Count)).Select(k => k * testWords.Count / Math.Min(examples, testWords.Count)))
{
    bool right = SequenceErrorRates.EditDistance(testWords[i].Phonemes, predicted[i]) == 0;
    sideBySide.AddRow(Markup.Escape(testWords[i].Word), string.Join(' ', testWords[i].Phonemes), string.Join(' ', predicted[i]), right ? "[green]✓[/]" : "[red]✗[/]");
}
AnsiConsole.Write(sideBySide);

static List<WordPronunciation> Sample(IReadOnlyList<WordPronunciation> items, int n) => items.Where((_, i) => i % Math.Max(1, items.Count / n) == 0).Take(n).ToList();
