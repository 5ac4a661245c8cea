using System.IO.Compression;
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
    /// <exception cref="InvalidDataException">A saved RNN scorer inside the file is damaged.</exception>
    public static RnnLoadedModel LoadWithRnnFastPath(this ModelOperationsCatalog catalog, string filePath, out DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(filePath);
        if (!File.Exists(filePath))
            throw new FileNotFoundException($"Model file '{filePath}' does not exist.", filePath);
        using var stream = File.OpenRead(filePath);
        return catalog.LoadWithRnnFastPath(stream, out inputSchema);
    }

    /// <summary>Loads a model saved by <c>mlContext.Model.Save</c> from a stream (read to its end), with every RNN scorer on its batched fast path.</summary>
    /// <param name="catalog">The model operations catalog (<c>mlContext.Model</c>).</param>
    /// <param name="stream">A readable stream holding the <c>.zip</c>; left open.</param>
    /// <param name="inputSchema">The schema the model was saved with.</param>
    /// <returns>The loaded model; the caller owns it and disposes it.</returns>
    /// <exception cref="InvalidDataException">A saved RNN scorer inside the model is damaged.</exception>
    public static RnnLoadedModel LoadWithRnnFastPath(this ModelOperationsCatalog catalog, Stream stream, out DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(stream);
        byte[] bytes = Onnx.OnnxSessionFactory.ReadModelStream(stream);
        var loaded = catalog.Load(new MemoryStream(bytes, writable: false), out inputSchema);
        using var zip = new ZipArchive(new MemoryStream(bytes, writable: false), ZipArchiveMode.Read);
        var restoredScorers = new List<RnnScoringTransformer>();
        try
        {
            return new RnnLoadedModel(Restore(loaded, inputSchema, RootDirectory, zip, restoredScorers), restoredScorers);
        }
        catch
        {
            foreach (var scorer in restoredScorers)
                scorer.Dispose();
            throw;
        }
    }

    private static ITransformer Restore(ITransformer transformer, DataViewSchema input, string directory, ZipArchive zip, List<RnnScoringTransformer> restoredScorers)
    {
        if (!IsChain(transformer))
            return transformer;
        var elements = ((IEnumerable<ITransformer>)transformer).ToList();
        if (elements.Any(e => e is CustomMappingTransformer<NoColumns, SettingsKeyRow>))
        {
            var scorer = Rebuild(elements, input, directory, zip);
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
            restored[i] = Restore(elements[i], schema, $"{directory}/Transform_{i:000}", zip, restoredScorers);
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

    private static RnnScoringTransformer Rebuild(List<ITransformer> elements, DataViewSchema input, string directory, ZipArchive zip)
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
        byte[] model = ReadOnnxModel(zip, $"{directory}/Transform_{onnx:000}/OnnxModel");

        return new RnnScoringEstimator(settings.Options, model).Fit(new EmptyDataView(input));
    }

    private static byte[] ReadOnnxModel(ZipArchive zip, string entryName)
    {
        var entry = zip.GetEntry(entryName)
            ?? throw new InvalidDataException($"The saved model has no entry '{entryName}' holding the RNN scorer's ONNX model.");
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        byte[] content = copy.ToArray();

        // ML.NET writes the bytes with a 32-bit length prefix.
        if (content.Length < 4 || BitConverter.ToInt32(content, 0) != content.Length - 4)
            throw new InvalidDataException($"Entry '{entryName}' does not hold a length-prefixed ONNX model ({content.Length} bytes).");
        return content[4..];
    }
}
