namespace MlNetRnn.Training.Export;

/// <summary>What <see cref="GeneratorExporter"/> writes into a generator package's manifest besides the model itself.</summary>
public sealed record GeneratorExportOptions
{
    /// <summary>
    /// Conditioned generators with a class condition: the class names, one per condition component (the condition is the
    /// one-hot of the class). <see langword="null"/> (default) for a float feature-vector condition.
    /// </summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>The longest source sequence seen in training (manifest <c>source.maxLength</c>). Default 0 (unknown).</summary>
    public int MaxSourceLength { get; init; }

    /// <summary>The longest target sequence seen in training, without BOS/EOS (manifest <c>maxTargetLength</c>, a default maximum generated length). Default 0 (unknown).</summary>
    public int MaxTargetLength { get; init; }

    /// <summary>Free-form facts for model cards (data set, metrics, training command). Default none.</summary>
    public IReadOnlyDictionary<string, string>? Info { get; init; }
}
