namespace MlNetRnn.Tests;

/// <summary>The project files of a fresh console app that restores one package from a local folder only (no registry).</summary>
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
}
