using MlNetRnn.Transforms.Tests;
using Xunit;

namespace MlNetRnn.Tests;

/// <summary>A fresh console app that restores one package from a local folder only (no registry): its project files, and running dotnet on it.</summary>
/// <remarks>Compiled into every test project from <c>tests/Shared</c>; used by the package tests.</remarks>
internal static class LocalPackageApp
{
    /// <summary>Writes <c>nuget.config</c> (only <paramref name="feed"/> as source) and <c>app.csproj</c> referencing the package.</summary>
    public static void WriteProject(string app, string feed, string packageId, string version)
    {
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(app, "app.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="{packageId}" Version="{version}" />
              </ItemGroup>
            </Project>
            """);
    }

    /// <summary>The repository root: the first folder above the test binaries that holds <c>MlNetRnn.sln</c>.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MlNetRnn.sln")))
                return dir.FullName;
        }

        throw new InvalidOperationException($"No repository root (a folder with MlNetRnn.sln) above {AppContext.BaseDirectory}.");
    }

    /// <summary>Runs <c>dotnet</c> with the arguments (4 minutes at most), asserts it succeeded and returns its output.</summary>
    public static string RunDotnet(string workingDirectory, params string[] arguments)
    {
        var child = ChildProcess.RunDotnet(workingDirectory, TimeSpan.FromMinutes(4), arguments);
        Assert.True(child.ExitCode == 0, child.ToString());
        return child.Output;
    }
}
