using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace MlNetRnn.Transforms.Tests.Fixtures;

/// <summary>Damages saved-model zips the ways files get damaged, for the loader's integrity tests.</summary>
internal static class ZipDamage
{
    /// <summary>The full name of the first entry whose name is <paramref name="name"/>.</summary>
    public static string FindEntry(byte[] zip, string name)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        return archive.Entries.First(e => e.Name == name).FullName;
    }

    /// <summary>
    /// Flips one bit inside the compressed data of <paramref name="entryName"/>, leaving the zip's records alone: the first
    /// position from the middle of the data on where the entry still decompresses (to different bytes), so only the CRC can tell.
    /// </summary>
    public static byte[] FlipBitInCompressedData(byte[] zip, string entryName)
    {
        long compressed;
        using (var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read))
            compressed = archive.GetEntry(entryName)!.CompressedLength;
        int start = DataOffset(zip, entryName);
        for (long offset = compressed / 2; offset < compressed; offset++)
        {
            byte[] damaged = (byte[])zip.Clone();
            damaged[start + offset] ^= 0x10;
            if (Decompresses(damaged, entryName))
                return damaged;
        }

        throw new InvalidOperationException($"No single-bit flip in '{entryName}' keeps it decompressible.");
    }

    /// <summary>Replaces an entry's content (the zip records the new size and CRC, as a tool rewriting the entry would).</summary>
    public static byte[] ReplaceEntry(byte[] zip, string entryName, Func<byte[], byte[]> replace)
    {
        using var copy = new MemoryStream();
        copy.Write(zip);
        using (var archive = new ZipArchive(copy, ZipArchiveMode.Update, leaveOpen: true))
        {
            var entry = archive.GetEntry(entryName)!;
            byte[] content;
            using (var stream = entry.Open())
            using (var buffer = new MemoryStream())
            {
                stream.CopyTo(buffer);
                content = buffer.ToArray();
            }

            entry.Delete();
            using var writer = archive.CreateEntry(entryName).Open();
            writer.Write(replace(content));
        }

        return copy.ToArray();
    }

    public static byte[] DeleteEntry(byte[] zip, string entryName)
    {
        using var copy = new MemoryStream();
        copy.Write(zip);
        using (var archive = new ZipArchive(copy, ZipArchiveMode.Update, leaveOpen: true))
            archive.GetEntry(entryName)!.Delete();
        return copy.ToArray();
    }

    /// <summary>ONNX model bytes with ML.NET's length prefix, as its OnnxTransformer stores them.</summary>
    public static byte[] LengthPrefixed(byte[] model)
    {
        byte[] content = new byte[model.Length + 4];
        BinaryPrimitives.WriteInt32LittleEndian(content, model.Length);
        model.CopyTo(content, 4);
        return content;
    }

    private static bool Decompresses(byte[] zip, string entryName)
    {
        try
        {
            using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
            using var stream = archive.GetEntry(entryName)!.Open();
            stream.CopyTo(Stream.Null);
            return true;
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    /// <summary>Where an entry's compressed data starts: after its local file header (30 bytes, name, extra field).</summary>
    private static int DataOffset(byte[] zip, string entryName)
    {
        byte[] signature = [0x50, 0x4b, 0x03, 0x04];
        byte[] name = Encoding.UTF8.GetBytes(entryName);
        for (int i = 0; i + 30 + name.Length <= zip.Length; i++)
        {
            if (zip.AsSpan(i, 4).SequenceEqual(signature) && zip.AsSpan(i + 30, name.Length).SequenceEqual(name))
                return i + 30 + BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(i + 26)) + BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(i + 28));
        }

        throw new InvalidOperationException($"No local header for '{entryName}'.");
    }
}
