using Microsoft.ML;

namespace MlNetRnn.Transforms.Generation;

/// <summary>Extensions on <see cref="TransformsCatalog"/> (<c>mlContext.Transforms</c>) that generate text with generator packages.</summary>
public static class RnnGenerationCatalog
{
    /// <summary>Generates a text from each row's source text with a sequence-to-sequence package, by beam search (beam size 4).</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="packagePath">Path of a <c>"seq2seq"</c> generator package (<c>.zip</c>).</param>
    /// <param name="inputColumnName">The source text column.</param>
    /// <param name="outputColumnName">The generated text column; its log-probability goes to <c>GeneratedLogProbability</c>.</param>
    /// <returns>The estimator (see <see cref="RnnSequenceGenerationOptions"/> for the search).</returns>
    /// <exception cref="ArgumentException">The package is not a <c>"seq2seq"</c> package.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The package is damaged, its manifest is invalid or a graph does not match it; the message names the entry and field.</exception>
    /// <example><code>
    /// var pipeline = mlContext.Transforms.GenerateSequence("g2p.zip", inputColumnName: "Word", outputColumnName: "Phonemes");
    /// </code></example>
    public static RnnGenerationEstimator GenerateSequence(this TransformsCatalog catalog, string packagePath, string inputColumnName = "Text", string outputColumnName = "GeneratedText")
    {
        ArgumentNullException.ThrowIfNull(packagePath);
        return catalog.GenerateSequence(new RnnSequenceGenerationOptions { PackagePath = packagePath, InputColumnName = inputColumnName, OutputColumnName = outputColumnName });
    }

    /// <summary>Generates a text from each row's source text with a sequence-to-sequence package, with every setting given.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="options">The settings; copied, so later changes do not affect the estimator.</param>
    /// <returns>The estimator.</returns>
    /// <exception cref="ArgumentException">A name option is blank, both or neither of the package options are set, or the package is not <c>"seq2seq"</c>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A number option is out of range (for example <c>BeamSize</c> 0); the message names it.</exception>
    /// <exception cref="FileNotFoundException">The package file does not exist.</exception>
    /// <exception cref="InvalidDataException">The package is damaged, its manifest is invalid or a graph does not match it.</exception>
    public static RnnGenerationEstimator GenerateSequence(this TransformsCatalog catalog, RnnSequenceGenerationOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        var settings = GenerationSettings.From(options);
        return new RnnGenerationEstimator(settings, RnnGenerationEstimator.ReadPackage(options.PackagePath, options.PackageBytes));
    }

    /// <summary>Generates a text from each row's condition with a conditioned package, by sampling (temperature 1, row i seeded with i).</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="packagePath">Path of a <c>"conditioned"</c> generator package (<c>.zip</c>).</param>
    /// <param name="inputColumnName">The condition column: Vector&lt;Single, size&gt; or a key of size classes.</param>
    /// <param name="outputColumnName">The generated text column.</param>
    /// <returns>The estimator (see <see cref="RnnConditionedGenerationOptions"/> for sampling and seeds).</returns>
    /// <exception cref="ArgumentException">The package is not a <c>"conditioned"</c> package.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The package is damaged, its manifest is invalid or a graph does not match it.</exception>
    public static RnnGenerationEstimator GenerateFromCondition(this TransformsCatalog catalog, string packagePath, string inputColumnName = "Condition", string outputColumnName = "GeneratedText")
    {
        ArgumentNullException.ThrowIfNull(packagePath);
        return catalog.GenerateFromCondition(new RnnConditionedGenerationOptions { PackagePath = packagePath, InputColumnName = inputColumnName, OutputColumnName = outputColumnName });
    }

    /// <summary>Generates a text from each row's condition with a conditioned package, with every setting given.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="options">The settings; copied, so later changes do not affect the estimator.</param>
    /// <returns>The estimator.</returns>
    /// <exception cref="ArgumentException">A name option is blank, both or neither of the package options are set, or the package is not <c>"conditioned"</c>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A number option is out of range; the message names it.</exception>
    /// <exception cref="FileNotFoundException">The package file does not exist.</exception>
    /// <exception cref="InvalidDataException">The package is damaged, its manifest is invalid or a graph does not match it.</exception>
    public static RnnGenerationEstimator GenerateFromCondition(this TransformsCatalog catalog, RnnConditionedGenerationOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        var settings = GenerationSettings.From(options);
        return new RnnGenerationEstimator(settings, RnnGenerationEstimator.ReadPackage(options.PackagePath, options.PackageBytes));
    }
}
