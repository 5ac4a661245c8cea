using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using Microsoft.ML.Transforms.Onnx;
using MlNetRnn.Transforms.Saving;

namespace MlNetRnn.Transforms;

/// <summary>
/// Loads a saved ML.NET model and puts the batched <see cref="RnnScoringTransformer"/> back in place of every RNN scorer
/// it contains (which <c>mlContext.Model.Load</c> alone restores as ML.NET's own, row-by-row transforms).
/// </summary>
/// <remarks>
/// A model saved with <c>mlContext.Model.Save</c> loads with plain <c>mlContext.Model.Load</c> too, and scores the same
/// numbers one row per ONNX Runtime call; when this assembly is not loaded yet in the process, make ML.NET find its
/// mappings first with <c>mlContext.ComponentCatalog.RegisterAssembly(typeof(RnnCatalog).Assembly)</c>.
/// The caller owns the returned <see cref="RnnLoadedModel"/> and disposes it.
/// <para>
/// Before ML.NET reads the file, every entry is decompressed and checked against the size and CRC-32 the zip records, and
/// every ONNX transform's model entry must be present and complete (plain <c>mlContext.Model.Load</c> checks neither: a
/// damaged ONNX entry there either fails with ML.NET's "Error during class instantiation", the cause several inner
/// exceptions down, or loads and scores different numbers). Each RNN scorer's ONNX model is then compared with the settings
/// saved next to it (task, class count, labels, vocabulary size), so an entry replaced by another model is refused too.
/// </para>
/// </remarks>
public static class RnnModelLoader
{
    private const string RootDirectory = "TransformerChain";

    /// <summary>Loads a model file saved by <c>mlContext.Model.Save</c>, with every RNN scorer on its batched fast path.</summary>
    /// <param name="catalog">The model operations catalog (<c>mlContext.Model</c>).</param>
    /// <param name="filePath">The <c>.zip</c> file.</param>
    /// <param name="inputSchema">The schema the model was saved with.</param>
    /// <returns>The loaded model; the caller owns it and disposes it.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a readable zip; an entry does not match its recorded size and
    /// CRC-32; an ONNX model entry is missing, truncated or not loadable; or a saved RNN scorer's ONNX model is not the one it
    /// was saved with. The message names the file and the entry.</exception>
    public static RnnLoadedModel LoadWithRnnFastPath(this ModelOperationsCatalog catalog, string filePath, out DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(filePath);
        if (!File.Exists(filePath))
            throw new FileNotFoundException($"Model file '{filePath}' does not exist.", filePath);
        return Load(catalog, File.ReadAllBytes(filePath), $"Model file '{filePath}'", out inputSchema);
    }

    /// <summary>Loads a model saved by <c>mlContext.Model.Save</c> from a stream (read to its end), with every RNN scorer on its batched fast path.</summary>
    /// <param name="catalog">The model operations catalog (<c>mlContext.Model</c>).</param>
    /// <param name="stream">A readable stream holding the <c>.zip</c>; left open.</param>
    /// <param name="inputSchema">The schema the model was saved with.</param>
    /// <returns>The loaded model; the caller owns it and disposes it.</returns>
    /// <exception cref="InvalidDataException">The stream is not a readable zip; an entry does not match its recorded size and
    /// CRC-32; an ONNX model entry is missing, truncated or not loadable; or a saved RNN scorer's ONNX model is not the one it
    /// was saved with. The message names the entry.</exception>
    public static RnnLoadedModel LoadWithRnnFastPath(this ModelOperationsCatalog catalog, Stream stream, out DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(stream);
        return Load(catalog, Onnx.OnnxSessionFactory.ReadModelStream(stream), "Model stream", out inputSchema);
    }

    private static RnnLoadedModel Load(ModelOperationsCatalog catalog, byte[] bytes, string source, out DataViewSchema inputSchema)
    {
        var archive = SavedModelArchive.Open(bytes, source);
        var loaded = archive.LoadWithMlNet(catalog, bytes, out inputSchema);
        var restoredScorers = new List<IDisposable>();
        try
        {
            return new RnnLoadedModel(Restore(loaded, inputSchema, RootDirectory, archive, restoredScorers), restoredScorers);
        }
        catch
        {
            foreach (var scorer in restoredScorers)
                scorer.Dispose();
            (loaded as IDisposable)?.Dispose();
            throw;
        }
    }

    private static ITransformer Restore(ITransformer transformer, DataViewSchema input, string directory, SavedModelArchive archive, List<IDisposable> restoredScorers)
    {
        if (!IsChain(transformer))
            return transformer;
        var elements = ((IEnumerable<ITransformer>)transformer).ToList();
        if (Generation.GenerationStockChain.IsGeneratorChain(elements))
        {
            var generator = Generation.GenerationStockChain.Restore(elements, input);
            restoredScorers.Add(generator);
            foreach (var element in elements)
                (element as IDisposable)?.Dispose();
            return generator;
        }

        if (elements.Any(e => e is CustomMappingTransformer<NoColumns, SettingsKeyRow>))
        {
            var scorer = Rebuild(elements, input, directory, archive);
            restoredScorers.Add(scorer);

            // The stock steps it replaces (ApplyOnnxModel holds a session of its own) are not used any more.
            foreach (var element in elements)
                (element as IDisposable)?.Dispose();
            return scorer;
        }

        bool changed = false;
        var schema = input;
        var restored = new ITransformer[elements.Count];
        for (int i = 0; i < elements.Count; i++)
        {
            restored[i] = Restore(elements[i], schema, $"{directory}/Transform_{i:000}", archive, restoredScorers);
            changed |= !ReferenceEquals(restored[i], elements[i]);
            schema = restored[i].GetOutputSchema(schema);
        }

        return changed ? new TransformerChain<ITransformer>(restored) : transformer;
    }

    private static bool IsChain(ITransformer transformer)
    {
        var type = transformer.GetType();
        return type.IsGenericType && type.GetGenericTypeDefinition() == typeof(TransformerChain<>);
    }

    private static RnnScoringTransformer Rebuild(List<ITransformer> elements, DataViewSchema input, string directory, SavedModelArchive archive)
    {
        int key = elements.FindIndex(e => e is CustomMappingTransformer<NoColumns, SettingsKeyRow>);
        if (key + 1 >= elements.Count)
            throw new InvalidDataException($"The saved RNN scorer in '{directory}' has no settings step.");
        var ml = new MLContext(seed: 0);
        var keyRow = ml.Data.LoadFromEnumerable(new[] { new SettingsKeyRow() });
        var settingsView = elements[key + 1].Transform(keyRow);
        string json = settingsView.GetColumn<string>(StockColumns.Settings).Single();
        var settings = SavedScorerSettings.FromJson(json);

        int onnx = elements.FindIndex(e => e is OnnxTransformer);
        if (onnx < 0)
            throw new InvalidDataException($"The saved RNN scorer in '{directory}' has no ONNX model step.");
        string entry = $"{directory}/Transform_{onnx:000}/OnnxModel";
        byte[] model = archive.OnnxModel(entry);

        var estimator = SavedModelConsistency.CreateChecked(settings, () => new RnnScoringEstimator(settings.Options, model), archive.Describe(entry));
        return estimator.Fit(new EmptyDataView(input));
    }
}
