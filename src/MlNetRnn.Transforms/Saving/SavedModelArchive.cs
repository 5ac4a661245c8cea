using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.IO.Hashing;
using Microsoft.ML;
using Microsoft.ML.OnnxRuntime;

namespace MlNetRnn.Transforms.Saving;

/// <summary>
/// A saved ML.NET model (<c>.zip</c>), checked before ML.NET reads it: every entry decompresses to its recorded size and
/// CRC-32, and every ONNX transform's directory holds its length-prefixed ONNX model. ML.NET itself checks neither, so a
/// damaged entry would otherwise load silently or fail deep inside ML.NET. Every error names the file and the entry.
/// </summary>
internal sealed class SavedModelArchive
{
    // ML.NET's OnnxTransformer writes its loader signature into the header of its directory's Model.key
    // and its model into the OnnxModel entry next to it, prefixed by the model's length (Int32, little-endian).
    private static readonly byte[] OnnxLoaderSignature = "ONNXSCOR"u8.ToArray();
    private const string ModelKeyName = "Model.key";
    private const string OnnxModelName = "OnnxModel";

    private readonly string source;
    private readonly Dictionary<string, byte[]> onnxModels = new(StringComparer.Ordinal);

    private SavedModelArchive(string source) => this.source = source;

    /// <summary>Reads and checks a saved model.</summary>
    /// <param name="bytes">The whole <c>.zip</c>.</param>
    /// <param name="source">What the bytes are, for messages, e.g. <c>Model file 'model.zip'</c>.</param>
    /// <exception cref="InvalidDataException">The archive, one of its entries or an ONNX transform's model is damaged or missing.</exception>
    public static SavedModelArchive Open(byte[] bytes, string source)
    {
        var archive = new SavedModelArchive(source);
        using (var zip = ZipArchives.OpenRead(bytes, source))
        {
            var onnxDirectories = new List<string>();
            foreach (var entry in zip.Entries)
            {
                if (entry.FullName.EndsWith('/'))
                    continue;
                byte[] content = archive.ReadChecked(entry);
                if (entry.Name == ModelKeyName && content.AsSpan().IndexOf(OnnxLoaderSignature) >= 0)
                    onnxDirectories.Add(entry.FullName[..^ModelKeyName.Length]);
                else if (entry.Name == OnnxModelName)
                    archive.onnxModels[entry.FullName] = content;
            }

            foreach (string directory in onnxDirectories)
                archive.CheckOnnxEntry(directory + OnnxModelName);
        }

        return archive;
    }

    /// <summary>"Model file 'x', entry 'y'": where an entry is, for messages.</summary>
    public string Describe(string entryName) => $"{source}, entry '{entryName}'";

    /// <summary>The ONNX model (without ML.NET's length prefix) of the ONNX transform whose model entry is <paramref name="entryName"/>.</summary>
    /// <exception cref="InvalidDataException">There is no such entry.</exception>
    public byte[] OnnxModel(string entryName) =>
        onnxModels.TryGetValue(entryName, out byte[]? content)
            ? content[sizeof(int)..]
            : throw new InvalidDataException($"{Describe(entryName)}: the entry holding the RNN scorer's ONNX model is missing; the file is damaged.");

    /// <summary>
    /// Loads the model with ML.NET. When ML.NET fails and one of the ONNX models in the archive is what ONNX Runtime
    /// cannot load, the error names that entry; any other failure is ML.NET's own.
    /// </summary>
    public ITransformer LoadWithMlNet(ModelOperationsCatalog catalog, byte[] bytes, out DataViewSchema inputSchema)
    {
        try
        {
            return catalog.Load(new MemoryStream(bytes, writable: false), out inputSchema);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            foreach (string entryName in onnxModels.Keys)
            {
                try
                {
                    using var session = new InferenceSession(OnnxModel(entryName));
                }
                catch (OnnxRuntimeException onnx)
                {
                    throw new InvalidDataException($"{Describe(entryName)}: ONNX Runtime cannot load the model the entry holds ({onnx.Message}); the file is damaged.", e);
                }
            }

            throw;
        }
    }

    private byte[] ReadChecked(ZipArchiveEntry entry)
    {
        byte[] content;
        try
        {
            using var stream = entry.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            content = copy.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{Describe(entry.FullName)}: the entry cannot be decompressed ({e.Message}); the file is damaged.", e);
        }

        uint crc = Crc32.HashToUInt32(content);
        if (content.Length != entry.Length || crc != entry.Crc32)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"{Describe(entry.FullName)}: the entry decompresses to {content.Length} bytes with CRC-32 0x{crc:x8}, but the archive records {entry.Length} bytes with CRC-32 0x{entry.Crc32:x8}; the file is damaged."));
        }

        return content;
    }

    private void CheckOnnxEntry(string entryName)
    {
        if (!onnxModels.TryGetValue(entryName, out byte[]? content))
        {
            string directory = entryName[..^OnnxModelName.Length];
            throw new InvalidDataException($"{Describe(entryName)}: the entry is missing, but the ONNX transform in '{directory}' needs it; the file is damaged.");
        }

        if (content.Length < sizeof(int) || BinaryPrimitives.ReadInt32LittleEndian(content) != content.Length - sizeof(int))
        {
            string prefix = content.Length < sizeof(int) ? "no length prefix" : string.Create(CultureInfo.InvariantCulture, $"a length prefix of {BinaryPrimitives.ReadInt32LittleEndian(content)}");
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"{Describe(entryName)}: expected a length-prefixed ONNX model, got {content.Length} bytes with {prefix}; the entry is truncated or damaged."));
        }
    }
}
