using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetRnn.Transforms;

/// <summary>
/// A model loaded by <see cref="RnnModelLoader.LoadWithRnnFastPath(ModelOperationsCatalog, string, out DataViewSchema)"/>:
/// the saved pipeline with every RNN scorer back on its batched fast path. Dispose it when done.
/// </summary>
/// <remarks>
/// <para>
/// <b>Ownership.</b> This object owns the <see cref="RnnScoringTransformer"/>s and <see cref="Generation.RnnGenerationTransformer"/>s the loader put back (and so their ONNX Runtime
/// sessions); <see cref="Dispose"/> disposes them, exactly as disposing each of them would (see
/// <see cref="RnnScoringTransformer"/>: open cursors keep their session until they are disposed). Afterwards
/// <see cref="Transform"/> and <see cref="GetRowToRowMapper"/> throw <see cref="ObjectDisposedException"/>; disposing twice
/// is harmless. The other transformers of the pipeline hold no native resources of this library.
/// </para>
/// <para>
/// <b>Threading.</b> As for the transformers it holds: the model may be used from several threads at once.
/// </para>
/// <para>
/// <b>Saving.</b> <c>mlContext.Model.Save</c> saves <see cref="Model"/>, so the file loads again with
/// <c>mlContext.Model.Load</c> or <see cref="RnnModelLoader"/>.
/// </para>
/// </remarks>
public sealed class RnnLoadedModel : ITransformer, IDisposable
{
    private readonly IReadOnlyList<IDisposable> owned;
    private bool disposed;

    internal RnnLoadedModel(ITransformer model, IReadOnlyList<IDisposable> owned)
    {
        Model = model;
        this.owned = owned;
    }

    /// <summary>
    /// The loaded pipeline (usually a <c>TransformerChain</c>), to look inside it. It belongs to this object: do not dispose
    /// its parts separately, and do not use it after <see cref="Dispose"/>.
    /// </summary>
    public ITransformer Model { get; }

    /// <summary>Whether <see cref="Model"/> can map one row at a time.</summary>
    public bool IsRowToRowMapper => Model.IsRowToRowMapper;

    /// <summary>The schema <see cref="Transform"/> produces for an input schema.</summary>
    /// <param name="inputSchema">The input schema.</param>
    /// <returns>The output schema of <see cref="Model"/>.</returns>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => Model.GetOutputSchema(inputSchema);

    /// <summary>Scores <paramref name="input"/> with <see cref="Model"/>.</summary>
    /// <param name="input">The data to score.</param>
    /// <returns>The lazily scored data.</returns>
    /// <exception cref="ObjectDisposedException">This model has been disposed.</exception>
    public IDataView Transform(IDataView input)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        return Model.Transform(input);
    }

    /// <summary>A mapper that scores one row per call (ML.NET's <c>PredictionEngine</c>).</summary>
    /// <param name="inputSchema">The schema of the rows to map.</param>
    /// <returns>The mapper of <see cref="Model"/>.</returns>
    /// <exception cref="ObjectDisposedException">This model has been disposed.</exception>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        return Model.GetRowToRowMapper(inputSchema);
    }

    /// <summary>Saves <see cref="Model"/>; called by <c>mlContext.Model.Save</c>.</summary>
    /// <param name="ctx">ML.NET's save context.</param>
    /// <exception cref="ObjectDisposedException">This model has been disposed.</exception>
    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        Model.Save(ctx);
    }

    /// <summary>Disposes the batched RNN scorers this model owns. Calling it again does nothing.</summary>
    public void Dispose()
    {
        if (disposed)
            return;
        disposed = true;
        foreach (var transformer in owned)
            transformer.Dispose();
    }
}
