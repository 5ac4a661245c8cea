using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MlNetRnn.Training.Data;
using MlNetRnn.Training.Export;
using MlNetRnn.Training.Models;
using MlNetRnn.Training.Training;
using MlNetRnn.Transforms;
using MlNetRnn.Transforms.Data;
using static TorchSharp.torch;

namespace MlNetRnn.Training;

/// <summary>
/// The <c>Fit</c> of both ML.NET trainers: read the rows once, split off validation rows, build the vocabulary, train with
/// <see cref="ClassifierTrainer"/>, export to ONNX in memory and open the batched scorer on it.
/// </summary>
internal static class RnnTrainerCore
{
    public static RnnTrainedTransformer Fit(IDataView input, RnnTrainerOptions options, bool perToken, IHostEnvironment? environment, string trainerName)
    {
        ArgumentNullException.ThrowIfNull(input);
        bool isText = TrainerColumns.Check(SchemaShapes.FromSchema(input.Schema), options, perToken, nameof(input));
        if (options.ValidationSet is { } validationSet && TrainerColumns.Check(SchemaShapes.FromSchema(validationSet.Schema), options, perToken, nameof(options.ValidationSet)) != isText)
            throw new ArgumentException($"Input column '{options.InputColumnName}': expected the same kind (text or token keys) in the validation data as in the training data ({(isText ? "text" : "token keys")}).", nameof(options.ValidationSet));
        if (!isText && options.PretrainedWordVectors is not null)
            throw new ArgumentException($"{nameof(options.PretrainedWordVectors)}: expected a text input column, but '{options.InputColumnName}' holds token keys, which have no words to look up.", nameof(input));

        using var log = new TrainerLog(environment, trainerName, options.Progress);
        var token = options.CancellationToken;
        var reader = new SequenceReader(options, perToken, isText, input.Schema);
        var rows = reader.Read(input, "training", token);
        if (rows.Count == 0)
            throw new ArgumentException("The training data has no rows.", nameof(input));
        var validationRows = options.ValidationSet is { } set ? reader.Read(set, "validation", token) : null;
        var (trainIndices, heldOut) = Split(rows.Count, options);

        Vocabulary? vocabulary = null;
        int vocabSize = reader.KeyCount + 2;
        if (isText)
        {
            vocabulary = Vocabulary.FromCounts(reader.CountTokens(rows, trainIndices), options.Tokenization, options.MinTokenCount, options.MaxVocabularySize);
            if (options.PretrainedWordVectors is { } vectors && options.PretrainedWordCount > 0)
                vocabulary = vocabulary.WithTokens(vectors.Words.Take(options.PretrainedWordCount));
            reader.RemapTokens(rows, vocabulary);
            if (validationRows is not null)
                reader.RemapTokens(validationRows, vocabulary);
            vocabSize = vocabulary.Count;
        }

        if (reader.ClassCount < 2)
            throw new ArgumentException($"Label column '{options.LabelColumnName}': expected at least 2 classes (keys), got {reader.ClassCount}.", nameof(input));
        long tokens = rows.Ids.Sum(ids => (long)ids.Length);
        log.Info(string.Create(CultureInfo.InvariantCulture,
            $"Read {rows.Count} rows ({tokens} tokens); training on {trainIndices.Length}, validating on {validationRows?.Count ?? heldOut.Length}; vocabulary {vocabSize} ids, {reader.ClassCount} classes."));

        // A character-aware tagger: the character vocabulary from the training rows' tokens as written, each distinct token's
        // characters encoded once (charsOf[written id]).
        var tagger = options as RnnTokenClassifierOptions;
        Vocabulary? characters = null;
        int[][]? charsOf = null;
        if (tagger is { ReadsCharacters: true })
        {
            characters = Vocabulary.BuildCharacterLevel(trainIndices.SelectMany(i => reader.WrittenIds(rows, i)).Select(w => reader.WrittenTokens[w]));
            charsOf = reader.WrittenTokens.Select(characters.Encode).ToArray();
            log.Info(string.Create(CultureInfo.InvariantCulture, $"Character vocabulary {characters.Count} ids."));
        }

        var config = new RnnModelConfig(perToken ? RnnTask.TokenClassification : RnnTask.SequenceClassification, options.Cell, vocabSize,
            options.EmbeddingDim, options.HiddenSize, options.NumLayers, options.Bidirectional, options.Dropout, reader.ClassCount,
            CharVocabSize: characters?.Count ?? 0, CharEmbeddingDim: characters is null ? 0 : tagger!.CharEmbeddingDim,
            CharHiddenSize: characters is null ? 0 : tagger!.CharHiddenSize, WordDropout: options.WordDropout,
            EmbeddingDropout: options.EmbeddingDropout, UnkId: vocabulary is not null ? Vocabulary.UnkId : reader.KeyUnknownId);
        config.Validate();
        manual_seed(options.Seed);
        byte[] onnx;
        TrainingResult result;
        using (var model = new RnnSequenceModel(config))
        {
            if (options.PretrainedWordVectors is { } vectors)
            {
                int found = model.InitializeEmbedding(vocabulary!.Tokens, vectors, options.FreezeEmbedding);
                log.Info(string.Create(CultureInfo.InvariantCulture,
                    $"Embedding: {found} of {vocabulary.Count - 1} tokens start from pretrained vectors ({(options.FreezeEmbedding ? "frozen" : "fine-tuned")})."));
            }

            var trainer = new ClassifierTrainer(options.ToTrainingOptions());
            var validation = validationRows is not null ? AllIndices(validationRows) : heldOut.Length > 0 ? heldOut : null;
            var validationSource = validationRows ?? rows;
            TaggedSequence[] Tagged(SequenceRows source, int[] indices) => indices.Select(i => charsOf is null
                ? new TaggedSequence(source.Ids[i], source.Tags![i])
                : new TaggedSequence(source.Ids[i], reader.WrittenIds(source, i).Select(w => charsOf[w]).ToArray(), source.Tags![i])).ToArray();
            result = perToken
                ? trainer.Train(model, Tagged(rows, trainIndices), validation is null ? null : Tagged(validationSource, validation), log, token)
                : trainer.Train(model, Labeled(rows, trainIndices), validation is null ? null : Labeled(validationSource, validation), log, token);
            onnx = OnnxExporter.Export(model, new OnnxExportOptions
            {
                Vocabulary = vocabulary?.Tokens,
                UnkId = vocabulary is not null ? Vocabulary.UnkId : reader.KeyUnknownId,
                Labels = reader.ClassNames,
                Tokenization = vocabulary?.Settings,
                Metrics = Metrics(result),
                CharVocabulary = characters?.Tokens,
            });
        }

        log.Info(string.Create(CultureInfo.InvariantCulture, $"Trained {result.History.Count} epochs in {result.Elapsed.TotalSeconds:F1} s; the model holds epoch {result.BestEpoch}."));
        return Scorer(input, options, isText, characters is not null, onnx, result, vocabulary);
    }

    private static RnnTrainedTransformer Scorer(IDataView input, RnnTrainerOptions options, bool isText, bool readsCharacters, byte[] onnx, TrainingResult result, Vocabulary? vocabulary)
    {
        var scoring = new RnnScoringOptions
        {
            ModelBytes = onnx,
            InputColumnName = options.InputColumnName,
            ScoreColumnName = options.ScoreColumnName,
            PredictedLabelColumnName = options.PredictedLabelColumnName,
        };
        var transforms = new MLContext(seed: 0).Transforms;
        if (!isText && !readsCharacters)
        {
            var scorer = transforms.ScoreRnn(scoring).Fit(input);
            return new RnnTrainedTransformer(scorer, scorer, onnx, result, vocabulary);
        }

        if (!isText)
        {
            // A character-aware tagger reads each token's characters from its key value, as written.
            var words = transforms.Conversion.MapKeyToValue(TrainerColumns.WordsColumnName(options), options.InputColumnName).Fit(input);
            scoring.CharactersColumnName = TrainerColumns.WordsColumnName(options);
            var scorer = transforms.ScoreRnn(scoring).Fit(words.Transform(input));
            return new RnnTrainedTransformer(new TransformerChain<ITransformer>(words, scorer), scorer, onnx, result, vocabulary);
        }

        var chain = transforms.ScoreRnnText(scoring).Fit(input);
        return new RnnTrainedTransformer(chain, chain.LastTransformer, onnx, result, vocabulary);
    }

    /// <summary>The training rows and the held-out validation rows (<see cref="RnnTrainerOptions.ValidationFraction"/>, chosen with the seed).</summary>
    private static (int[] Train, int[] HeldOut) Split(int count, RnnTrainerOptions options)
    {
        var all = Enumerable.Range(0, count).ToArray();
        if (options.ValidationSet is not null || options.ValidationFraction == 0)
            return (all, []);
        int heldOut = (int)Math.Round(count * options.ValidationFraction);
        if (heldOut < 1 || heldOut >= count)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{nameof(options.ValidationFraction)}: {options.ValidationFraction} of {count} rows holds out {heldOut}; expected at least one validation row and one training row."), nameof(options));
        new Random(options.Seed).Shuffle(all);
        return (all[heldOut..].Order().ToArray(), all[..heldOut].Order().ToArray());
    }

    private static int[] AllIndices(SequenceRows rows) => Enumerable.Range(0, rows.Count).ToArray();

    private static SequenceExample[] Labeled(SequenceRows rows, int[] indices) =>
        indices.Select(i => new SequenceExample(rows.Ids[i], rows.Labels![i])).ToArray();

    private static Dictionary<string, double> Metrics(TrainingResult result)
    {
        var metrics = new Dictionary<string, double> { ["train_loss"] = result.Best.TrainLoss, ["best_epoch"] = result.BestEpoch };
        if (result.Best.ValidationLoss is { } loss)
            metrics["val_loss"] = loss;
        if (result.Best.ValidationAccuracy is { } accuracy)
            metrics["val_accuracy"] = accuracy;
        return metrics;
    }
}
