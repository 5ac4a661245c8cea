using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetRnn.Training.Data;
using MlNetRnn.Training.Training;
using MlNetRnn.Transforms;

namespace MlNetRnn.Training;

/// <summary>
/// What <see cref="RnnSequenceClassifierTrainer.Fit"/> and <see cref="RnnTokenClassifierTrainer.Fit"/> return: the trained
/// model as MlNetRnn.Transforms' batched <see cref="RnnScoringTransformer"/> (behind ML.NET's own tokenizing transforms for a
/// text input, as <c>ScoreRnnText</c> builds them), with the training history and the vocabulary it was trained with.
/// </summary>
/// <remarks>
/// <para>
/// <b>Columns.</b> <see cref="Transform"/> adds the scorer's <c>Score</c> and <c>PredictedLabel</c> columns (names from the
/// options), and for a text input the token keys as <c>{input}Tokens</c>. <c>PredictedLabel</c> is a key whose key values
/// are the label column's, so <c>mlContext.MulticlassClassification.Evaluate</c> and <c>MapKeyToValue</c> work on it.
/// </para>
/// <para>
/// <b>Saving.</b> <c>mlContext.Model.Save</c> saves exactly what saving the wrapped transformer saves (the training history
/// is not saved), so the file loads with <c>mlContext.Model.Load</c> or <see cref="RnnModelLoader.LoadWithRnnFastPath(ModelOperationsCatalog, string, out DataViewSchema)"/>
/// as the wrapped transformer, and loading needs MlNetRnn.Transforms only (no TorchSharp).
/// </para>
/// <para>
/// <b>Ownership and threading.</b> This object owns the scorer's ONNX Runtime session: dispose it when done (twice is
/// harmless). Threading is the scorer's: see <see cref="RnnScoringTransformer"/>.
/// </para>
/// </remarks>
public sealed class RnnTrainedTransformer : ITransformer, IDisposable
{
    private readonly ITransformer scoring;
    private readonly byte[] onnxModel;

    internal RnnTrainedTransformer(ITransformer scoring, RnnScoringTransformer scorer, byte[] onnxModel, TrainingResult trainingResult, Vocabulary? vocabulary)
    {
        this.scoring = scoring;
        this.onnxModel = onnxModel;
        Scorer = scorer;
        TrainingResult = trainingResult;
        Vocabulary = vocabulary;
    }

    /// <summary>The batched scorer (the last step of the wrapped transformer); owned by this object.</summary>
    public RnnScoringTransformer Scorer { get; }

    /// <summary>Per-epoch losses and metrics, the epoch whose weights the model holds, and whether training stopped early.</summary>
    public TrainingResult TrainingResult { get; }

    /// <summary>The vocabulary built from the training rows for a text input; <see langword="null"/> for a token-key input.</summary>
    public Vocabulary? Vocabulary { get; }

    /// <summary>The class (or tag) names, index = class, key value = index + 1: the label column's key values.</summary>
    public IReadOnlyList<string> LabelNames => Scorer.LabelNames;

    /// <summary>Always true: every step scores one row at a time too (ML.NET's <c>PredictionEngine</c>).</summary>
    public bool IsRowToRowMapper => scoring.IsRowToRowMapper;

    /// <summary>The trained model as ONNX bytes (a copy), with its vocabulary, labels and tokenization in the metadata; scores with <c>ScoreRnn</c>/<c>ScoreRnnText</c>.</summary>
    /// <returns>The ONNX model.</returns>
    public byte[] GetOnnxModel() => onnxModel.ToArray();

    /// <summary>The schema <see cref="Transform"/> produces for an input schema.</summary>
    /// <param name="inputSchema">The input schema; must have the input column.</param>
    /// <returns>The input columns followed by the added columns.</returns>
    /// <exception cref="ArgumentException">The input column is missing or has the wrong type.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => scoring.GetOutputSchema(inputSchema);

    /// <summary>Returns a lazily scored view of <paramref name="input"/> (see <see cref="RnnScoringTransformer.Transform"/>).</summary>
    /// <param name="input">The data to score.</param>
    /// <returns>The input columns plus the added columns.</returns>
    /// <exception cref="ArgumentException">The input column is missing or has the wrong type.</exception>
    /// <exception cref="ObjectDisposedException">This object has been disposed.</exception>
    public IDataView Transform(IDataView input) => scoring.Transform(input);

    /// <summary>Returns a mapper that scores one row per call, with the same numbers as <see cref="Transform"/>.</summary>
    /// <param name="inputSchema">The schema of the rows to map.</param>
    /// <returns>The mapper.</returns>
    /// <exception cref="ArgumentException">The input column is missing or has the wrong type.</exception>
    /// <exception cref="ObjectDisposedException">This object has been disposed.</exception>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => scoring.GetRowToRowMapper(inputSchema);

    /// <summary>Saves the wrapped transformer (called by <c>mlContext.Model.Save</c>); see the class remarks.</summary>
    /// <param name="ctx">ML.NET's save context.</param>
    void ICanSaveModel.Save(ModelSaveContext ctx) => scoring.Save(ctx);

    /// <summary>Releases the scorer's ONNX Runtime session (once no cursor uses it any more). Calling it again does nothing.</summary>
    public void Dispose()
    {
        (scoring as IDisposable)?.Dispose();
        Scorer.Dispose();
    }
}
