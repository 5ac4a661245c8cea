using System.IO.Compression;

namespace MlNetRnn.Transforms.Saving;

/// <summary>Opens the zip files this library reads (saved models, generator packages) with one error message.</summary>
internal static class ZipArchives
{
    /// <summary>Opens <paramref name="bytes"/> for reading (kept, not copied).</summary>
    /// <param name="bytes">The whole archive.</param>
    /// <param name="source">What the bytes are, for messages.</param>
    /// <exception cref="InvalidDataException">The bytes are not a readable zip archive.</exception>
    public static ZipArchive OpenRead(byte[] bytes, string source)
    {
        try
        {
            return new ZipArchive(new MemoryStream(bytes, writable: false), ZipArchiveMode.Read);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{source} is not a readable zip archive ({bytes.Length} bytes): {e.Message}", e);
        }
    }
}
