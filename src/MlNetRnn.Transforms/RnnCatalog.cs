using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetRnn.Transforms;

/// <summary>Extensions on <see cref="TransformsCatalog"/> (<c>mlContext.Transforms</c>) that score recurrent sequence models.</summary>
public static class RnnCatalog
{
    /// <summary>
    /// Scores an ONNX sequence model on a column of token ids, in length-sorted, padded batches.
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="modelPath">Path of the ONNX model (exported by MlNetRnn, or any model with an integer <c>[batch, seq]</c> ids input).</param>
    /// <param name="inputColumnName">The token-id column: a vector of a key type or of UInt32, Int32 or Int64 ids.</param>
    /// <returns>The estimator; its transformer adds the columns described in <see cref="RnnScoringOptions"/>.</returns>
    /// <exception cref="ArgumentException">The model cannot be scored as a sequence model (the message lists its inputs and outputs).</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">ONNX Runtime cannot load the file.</exception>
    /// <example><code>
    /// var pipeline = mlContext.Transforms.ScoreRnn("sentiment.onnx", "Tokens")
    ///     .Append(mlContext.Transforms.Conversion.MapKeyToValue("Label", "PredictedLabel"));
    /// </code></example>
    public static RnnScoringEstimator ScoreRnn(this TransformsCatalog catalog, string modelPath, string inputColumnName = RnnScoringOptions.DefaultInputColumnName)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(modelPath);
        return new RnnScoringEstimator(new RnnScoringOptions { ModelPath = modelPath, InputColumnName = inputColumnName });
    }

    /// <summary>Scores an ONNX sequence model read from a stream (read to its end now; the stream is left open).</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="modelStream">A readable stream holding the ONNX model.</param>
    /// <param name="inputColumnName">The token-id column: a vector of a key type or of UInt32, Int32 or Int64 ids.</param>
    /// <returns>The estimator.</returns>
    /// <exception cref="ArgumentException">The model cannot be scored as a sequence model.</exception>
    /// <exception cref="InvalidDataException">ONNX Runtime cannot load the model.</exception>
    public static RnnScoringEstimator ScoreRnn(this TransformsCatalog catalog, Stream modelStream, string inputColumnName = RnnScoringOptions.DefaultInputColumnName)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var bytes = Onnx.OnnxSessionFactory.ReadModelStream(modelStream);
        return new RnnScoringEstimator(new RnnScoringOptions { ModelBytes = bytes, InputColumnName = inputColumnName });
    }

    /// <summary>Scores an ONNX sequence model with every setting given: model path or bytes, column names, batching knobs, generic-model settings.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="options">The settings; copied, so later changes do not affect the estimator.</param>
    /// <returns>The estimator.</returns>
    /// <exception cref="ArgumentException">A name option is blank, the model options contradict the model, or the model cannot be scored as a sequence model; the message names the option or lists the model's inputs and outputs.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A number option is out of range (see <see cref="RnnScoringOptions"/>); the message names it.</exception>
    /// <exception cref="FileNotFoundException">The model file does not exist.</exception>
    /// <exception cref="InvalidDataException">ONNX Runtime cannot load the model.</exception>
    public static RnnScoringEstimator ScoreRnn(this TransformsCatalog catalog, RnnScoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new RnnScoringEstimator(options);
    }

    /// <summary>
    /// Scores raw text with a model exported by MlNetRnn: tokenizes the text column with the model's own settings
    /// (characters or words, the same lowercasing as in training), maps tokens to the model's vocabulary ids (unknown
    /// tokens to the unknown id) and scores them, so the text scores with exactly the ids used in training.
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="modelPath">Path of an ONNX model exported by MlNetRnn with its vocabulary and tokenization metadata.</param>
    /// <param name="inputColumnName">The text column.</param>
    /// <returns>
    /// The chain tokenizer → scorer. Besides the scorer's columns it adds the token keys as <c>{inputColumnName}Tokens</c>
    /// (a key vector whose key values are the vocabulary tokens), and for a model that reads characters the tokens as written
    /// (case kept) as <c>{inputColumnName}Words</c>, whose characters it feeds to the model. It is made of ML.NET's own transforms and the scorer, so it
    /// saves and loads like <see cref="ScoreRnn(TransformsCatalog, string, string)"/>.
    /// </returns>
    /// <exception cref="ArgumentException">The model has no vocabulary or tokenization metadata, or cannot be scored.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">ONNX Runtime cannot load the file.</exception>
    public static EstimatorChain<RnnScoringTransformer> ScoreRnnText(this TransformsCatalog catalog, string modelPath, string inputColumnName = "Text")
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(modelPath);
        return catalog.ScoreRnnText(new RnnScoringOptions { ModelPath = modelPath, InputColumnName = inputColumnName });
    }

    /// <summary>Scores raw text with a model exported by MlNetRnn; <see cref="RnnScoringOptions.InputColumnName"/> names the text column.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="options">The settings; <see cref="RnnScoringOptions.InputColumnName"/> is the text column. Copied.</param>
    /// <returns>The chain tokenizer → scorer (see <see cref="ScoreRnnText(TransformsCatalog, string, string)"/>).</returns>
    /// <exception cref="ArgumentException">A name option is blank, or the model has no vocabulary or tokenization metadata.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A number option is out of range; the message names it.</exception>
    /// <exception cref="FileNotFoundException">The model file does not exist.</exception>
    /// <exception cref="InvalidDataException">ONNX Runtime cannot load the model.</exception>
    public static EstimatorChain<RnnScoringTransformer> ScoreRnnText(this TransformsCatalog catalog, RnnScoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        var settings = RnnScorerSettings.From(options);
        string textColumn = settings.InputColumnName;
        string tokensColumn = textColumn + "Tokens";
        var modelBytes = RnnScoringEstimator.ReadModel(options);
        var scorer = new RnnScoringEstimator(settings with { InputColumnName = tokensColumn, CharactersColumnName = null }, modelBytes);
        string? wordsColumn = null;
        if (scorer.Model.CharIdsName is not null)
        {
            wordsColumn = textColumn + "Words";
            scorer = new RnnScoringEstimator(settings with { InputColumnName = tokensColumn, CharactersColumnName = wordsColumn }, modelBytes);
        }
        return Text.TextTokenizerChain.Create(catalog, textColumn, tokensColumn, wordsColumn, scorer.Model).Append(scorer);
    }
}
