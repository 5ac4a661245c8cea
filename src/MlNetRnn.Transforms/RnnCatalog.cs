using Microsoft.ML;

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
    /// <exception cref="ArgumentException">The options are invalid or the model cannot be scored as a sequence model.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A batching knob is below 1.</exception>
    /// <exception cref="FileNotFoundException">The model file does not exist.</exception>
    /// <exception cref="InvalidDataException">ONNX Runtime cannot load the model.</exception>
    public static RnnScoringEstimator ScoreRnn(this TransformsCatalog catalog, RnnScoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new RnnScoringEstimator(options);
    }
}
