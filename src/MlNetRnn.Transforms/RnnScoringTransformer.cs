using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetRnn.Transforms.Data;
using MlNetRnn.Transforms.Onnx;

namespace MlNetRnn.Transforms;

/// <summary>
/// Scores a recurrent sequence model (ONNX) on a column of variable-length token ids, in length-sorted, padded batches.
/// Created by <see cref="RnnScoringEstimator.Fit"/>.
/// </summary>
/// <remarks>
/// <para>
/// <b>Ownership.</b> The transformer owns its ONNX Runtime session; dispose the transformer (or the pipeline's last
/// transformer chain that you own) when done. Cursors and prediction rows created from it borrow the session, so disposing
/// the transformer while a cursor is still open is safe: the session is freed when the last cursor is disposed. After
/// <see cref="Dispose"/>, <see cref="Transform"/>, <see cref="GetRowToRowMapper"/> and new cursors throw
/// <see cref="ObjectDisposedException"/>; disposing twice is harmless.
/// </para>
/// <para>
/// <b>Threading.</b> The transformer is immutable and may be used from several threads and cursors at once; each cursor has
/// its own buffers and batches, and ONNX Runtime sessions accept concurrent runs. A single cursor, like every ML.NET cursor,
/// is used from one thread at a time.
/// </para>
/// <para>
/// <b>Rows.</b> Every input row gives exactly one output row, in the input's order, with every input column passed through.
/// The row numbers in error messages count the rows this transformer receives, from 0.
/// </para>
/// <para>
/// <b>Errors.</b> A cursor reads a window of rows ahead and scores it before serving its first row, so an error (an id the
/// model cannot take, or ONNX Runtime failing on a batch) surfaces from <c>MoveNext</c> before any row of that window is
/// served. After that, every later <c>MoveNext</c> on the same cursor throws <see cref="InvalidOperationException"/> whose
/// inner exception is the original error: the cursor never serves a row it could not score, and never skips one. The rows
/// served before the failing window are complete and correct. When ONNX Runtime fails on a batch, the batch's rows are
/// scored again in smaller batches to find the rows it fails on, and the message names them (with the token when ONNX
/// Runtime names the index it refused). A <c>PredictionEngine</c> scores every row on its own: a failing row throws, and
/// the next rows are scored as usual.
/// </para>
/// <para>
/// <b>Saving.</b> <c>mlContext.Model.Save</c> stores an equivalent chain of ML.NET's own transforms (with the ONNX model
/// inside the zip) that <c>mlContext.Model.Load</c> restores and scores row by row; <see cref="RnnModelLoader"/> puts this
/// batched transformer back in its place. For a model that reads characters, that row-by-row form takes words of at most 64
/// characters and throws <see cref="InvalidDataException"/> (naming column and token) for a longer one; the batched
/// transformer has no such limit.
/// </para>
/// </remarks>
public sealed class RnnScoringTransformer : ITransformer, IDisposable
{
    private readonly RnnScoringCore core;

    internal RnnScoringTransformer(byte[] modelBytes, RnnScorerSettings settings, RnnModelDescription model, IReadOnlyList<RnnOutputColumn> columns, DataViewSchema inputSchema)
    {
        ModelBytes = modelBytes;
        InputSchema = inputSchema;
        var session = OnnxSessionFactory.Create(modelBytes, settings);
        core = new RnnScoringCore(new SharedSession(session), model, settings, columns);
    }

    /// <summary>Name of the token-id column this transformer reads.</summary>
    public string InputColumnName => core.Scorer.InputColumnName;

    /// <summary>Names of the columns this transformer adds, in schema order.</summary>
    public IReadOnlyList<string> OutputColumnNames => core.Columns.Select(c => c.Name).ToArray();

    /// <summary>The class names of a classifier (index = class; key value = index + 1), empty for a language model.</summary>
    public IReadOnlyList<string> LabelNames => core.Model.LabelNames;

    /// <summary>Always true: the transformer can score one row at a time (ML.NET's <c>PredictionEngine</c>).</summary>
    public bool IsRowToRowMapper => true;

    internal byte[] ModelBytes { get; }

    /// <summary>The schema the transformer was fitted on; saving builds its stock-ML.NET form for it.</summary>
    internal DataViewSchema InputSchema { get; }

    internal RnnScoringCore Core => core;

    /// <summary>The schema <see cref="Transform"/> produces for an input schema.</summary>
    /// <param name="inputSchema">The input schema; must have the token column.</param>
    /// <returns>The input columns followed by the added columns.</returns>
    /// <exception cref="ArgumentException">The token column is missing or is not a vector of ids; the message names the column, the expected and the actual type.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return core.Bind(inputSchema).Output;
    }

    /// <summary>Returns a lazily scored view of <paramref name="input"/>: scoring happens as a cursor moves over it.</summary>
    /// <param name="input">The data to score.</param>
    /// <returns>A data view with the input columns and the added columns.</returns>
    /// <exception cref="ArgumentException">The token column is missing or has the wrong type.</exception>
    /// <exception cref="ObjectDisposedException">The transformer has been disposed.</exception>
    /// <remarks>
    /// Cursors over the result throw <see cref="InvalidDataException"/> (naming row, column and token) for an id the model
    /// cannot take, and <see cref="InvalidOperationException"/> (naming the rows it fails on) when ONNX Runtime fails on a
    /// batch; after either, the cursor's every later <c>MoveNext</c> throws (see the class remarks).
    /// </remarks>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ThrowIfDisposed();
        return new RnnScoredDataView(core, input, core.Bind(input.Schema));
    }

    /// <summary>Returns a mapper that scores one row per call, with the same numbers as <see cref="Transform"/>.</summary>
    /// <param name="inputSchema">The schema of the rows to map.</param>
    /// <returns>The mapper.</returns>
    /// <exception cref="ArgumentException">The token column is missing or has the wrong type.</exception>
    /// <exception cref="ObjectDisposedException">The transformer has been disposed.</exception>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        ThrowIfDisposed();
        return new RnnRowMapper(core, core.Bind(inputSchema));
    }

    /// <summary>
    /// Saves the transformer as an equivalent chain of ML.NET's own transforms (with the ONNX model inside); called by
    /// <c>mlContext.Model.Save</c>. See the remarks on <see cref="RnnScoringTransformer"/>.
    /// </summary>
    /// <param name="ctx">ML.NET's save context.</param>
    /// <exception cref="NotSupportedException">The token column has keys wider than UInt32, or the label names repeat.</exception>
    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ThrowIfDisposed();
        var chain = Saving.StockChainBuilder.Build(core, ModelBytes, InputSchema);
        chain.Save(ctx);
    }

    /// <summary>Releases the ONNX Runtime session once no cursor uses it any more. Calling it again does nothing.</summary>
    public void Dispose() => core.Session.ReleaseOwner();

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(core.Session.IsOwnerReleased, this);
}
