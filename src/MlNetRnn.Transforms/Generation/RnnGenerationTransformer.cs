using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetRnn.Transforms.Generation;

/// <summary>
/// Generates text with a generator package (an encoder and a decoder-step ONNX graph) on ONNX Runtime, batched across rows:
/// a sequence-to-sequence package by beam search from a text column, a conditioned package by seeded sampling from a
/// condition column. Created by <see cref="RnnGenerationEstimator.Fit"/>.
/// </summary>
/// <remarks>
/// <para>
/// <b>Ownership.</b> The transformer owns its two ONNX Runtime sessions; dispose it when done. Cursors and prediction rows
/// borrow the sessions, so disposing the transformer while a cursor is open is safe: the sessions are freed when the last
/// cursor is disposed. After <see cref="Dispose"/>, <see cref="Transform"/>, <see cref="GetRowToRowMapper"/> and new cursors
/// throw <see cref="ObjectDisposedException"/>; disposing twice is harmless.
/// </para>
/// <para>
/// <b>Threading.</b> The transformer is immutable and may be used from several threads and cursors at once.
/// </para>
/// <para>
/// <b>Rows.</b> A cursor reads <c>BatchSize</c> rows ahead, decodes them together (one decoder-step call per time step for
/// all their live hypotheses) and serves them in the input's order, one output row per input row, every input column passed
/// through. The search never lets rows interact, so a row's output does not depend on the other rows of its batch, except
/// that ONNX Runtime's kernels may round differently at other batch sizes (log-probabilities then differ in the last digits;
/// a text can only change where two candidates tie to that precision). When decoding fails, the cursor's every later
/// <c>MoveNext</c> throws, as with <see cref="RnnScoringTransformer"/>.
/// </para>
/// <para>
/// <b>Saving.</b> <c>mlContext.Model.Save</c> stores an equivalent chain of ML.NET's own transforms with the package inside
/// the zip; <c>mlContext.Model.Load</c> restores it and generates one row per call with the same outputs (a conditioned
/// generator without a seed column cannot number rows there and throws; load it with <see cref="RnnModelLoader"/>), and
/// <see cref="RnnModelLoader"/> puts this batched transformer back in its place.
/// </para>
/// </remarks>
public sealed class RnnGenerationTransformer : ITransformer, IDisposable
{
    private readonly GenerationCore core;
    private readonly GeneratorSessions sessions;

    internal RnnGenerationTransformer(GenerationCore core, DataViewSchema inputSchema)
    {
        this.core = core;
        InputSchema = inputSchema;
        sessions = GeneratorSessions.Open(core.Package, core.Settings.IntraOpThreads);
    }

    /// <summary>The column this transformer generates from.</summary>
    public string InputColumnName => core.Settings.InputColumnName;

    /// <summary>Names of the columns this transformer adds, in schema order.</summary>
    public IReadOnlyList<string> OutputColumnNames => core.Settings.OutputColumnNames.ToArray();

    /// <summary>The package's manifest (vocabularies, special ids, states, free-form info).</summary>
    public GeneratorManifest Manifest => core.Package.Manifest;

    /// <summary>Always true: the transformer can generate one row at a time (ML.NET's <c>PredictionEngine</c>).</summary>
    public bool IsRowToRowMapper => true;

    internal GenerationCore Core => core;

    internal DataViewSchema InputSchema { get; }

    /// <summary>The schema <see cref="Transform"/> produces for an input schema.</summary>
    /// <param name="inputSchema">The input schema.</param>
    /// <returns>The input columns followed by the added columns.</returns>
    /// <exception cref="ArgumentException">The input or seed column is missing or has the wrong type or size.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return GenerationSchema.Create(inputSchema, core).Output;
    }

    /// <summary>Returns a lazily generated view of <paramref name="input"/>: generation happens as a cursor moves over it.</summary>
    /// <param name="input">The rows to generate from.</param>
    /// <returns>The input columns and the added columns.</returns>
    /// <exception cref="ArgumentException">The input or seed column is missing or has the wrong type or size.</exception>
    /// <exception cref="ObjectDisposedException">The transformer has been disposed.</exception>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ThrowIfDisposed();
        return new GenerationDataView(core, sessions, input, GenerationSchema.Create(input.Schema, core));
    }

    /// <summary>Returns a mapper that generates one row per call, with the same outputs as <see cref="Transform"/>.</summary>
    /// <param name="inputSchema">The schema of the rows to map.</param>
    /// <returns>The mapper.</returns>
    /// <exception cref="ArgumentException">The input or seed column is missing or has the wrong type or size.</exception>
    /// <exception cref="ObjectDisposedException">The transformer has been disposed.</exception>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        ThrowIfDisposed();
        return new GenerationRowMapper(core, sessions, GenerationSchema.Create(inputSchema, core));
    }

    /// <summary>Saves the transformer as an equivalent chain of ML.NET's own transforms with the package inside; called by <c>mlContext.Model.Save</c>.</summary>
    /// <param name="ctx">ML.NET's save context.</param>
    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ThrowIfDisposed();
        GenerationStockChain.Build(core, InputSchema).Save(ctx);
    }

    /// <summary>Releases the ONNX Runtime sessions once no cursor uses them any more. Calling it again does nothing.</summary>
    public void Dispose() => sessions.ReleaseOwner();

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(sessions.IsOwnerReleased, this);
}
