using Microsoft.ML;

namespace MlNetRnn.Transforms.Generation;

/// <summary>
/// Estimator for <see cref="RnnGenerationTransformer"/>; nothing is trained, <see cref="Fit"/> checks the schema and opens
/// the package's two ONNX Runtime sessions. Create it with <see cref="RnnGenerationCatalog"/>'s extensions.
/// </summary>
/// <remarks>
/// The package is read and checked when the estimator is created: a damaged zip, an invalid manifest field or a graph whose
/// inputs and outputs differ from the manifest fails there, with a message naming the entry and the field or tensor.
/// </remarks>
public sealed class RnnGenerationEstimator : IEstimator<RnnGenerationTransformer>
{
    private readonly GenerationCore core;

    internal RnnGenerationEstimator(GenerationSettings settings, GeneratorPackage package)
        : this(new GenerationCore(package, settings))
    {
    }

    internal RnnGenerationEstimator(GenerationCore core)
    {
        this.core = core;
        GeneratorSessions.Open(core.Package, core.Settings.IntraOpThreads).ReleaseOwner();
    }

    /// <summary>Checks <paramref name="input"/>'s schema and creates the transformer, which opens its own ONNX Runtime sessions.</summary>
    /// <param name="input">Data with the input column (only its schema is read).</param>
    /// <returns>The transformer; the caller owns it (see <see cref="RnnGenerationTransformer"/>).</returns>
    /// <exception cref="ArgumentException">The input or seed column is missing or has the wrong type or size; the message names the column.</exception>
    public RnnGenerationTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        GenerationSchema.Create(input.Schema, core);
        return new RnnGenerationTransformer(core, input.Schema);
    }

    /// <summary>The schema shape <see cref="Fit"/>'s transformer would produce, for checking a pipeline before any data flows.</summary>
    /// <param name="inputSchema">The input schema shape.</param>
    /// <returns>The input columns plus the added columns.</returns>
    /// <exception cref="ArgumentException">The input or seed column is missing or has the wrong type; the message names the column, the expected and the actual type.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return GenerationSchema.Create(inputSchema, core);
    }

    /// <summary>The package bytes of the options (a copy), read from the file when a path is given.</summary>
    internal static GeneratorPackage ReadPackage(string? path, byte[]? bytes) => (path, bytes) switch
    {
        (null, null) => throw new ArgumentException("Set PackagePath or PackageBytes.", "options"),
        ({ }, { }) => throw new ArgumentException("Set only one of PackagePath and PackageBytes.", "options"),
        ({ } p, null) => GeneratorPackage.ReadFile(p),
        (null, { } b) => GeneratorPackage.Read(b.ToArray()),
    };
}
