using Xunit;
using MlNetRnn.Training.Datasets;

namespace MlNetRnn.Training.Tests.Datasets;

public sealed class JavaScriptSourceTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("mlnetrnn-js-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void LoadFrom_ConcatenatesTheRuleFilesInPathOrderWithASeparatorEach()
    {
        string package = DatasetFixtures.PackageDirectory("javascript");
        string rules = Path.Combine(package, "lib", "rules");

        string text = JavaScriptSource.LoadFrom(package);

        string expected =
            "// ==== lib/rules/no-debugger.js ====\n" + File.ReadAllText(Path.Combine(rules, "no-debugger.js")) +
            "// ==== lib/rules/no-empty.js ====\n" + File.ReadAllText(Path.Combine(rules, "no-empty.js")) +
            "// ==== lib/rules/utils/keywords.js ====\n" + File.ReadAllText(Path.Combine(rules, "utils", "keywords.js"));
        Assert.Equal(expected, text);
        Assert.StartsWith("// ==== lib/rules/no-debugger.js ====\n/**\n * @fileoverview Rule to flag use of a debugger statement", text, StringComparison.Ordinal);
        Assert.Contains("if (", text, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadFrom_SkipsMinifiedFilesAndNormalisesLineEnds()
    {
        string rules = Path.Combine(directory, "lib", "rules");
        Directory.CreateDirectory(rules);
        File.WriteAllText(Path.Combine(rules, "b.js"), "if (a) {\r\n    b();\r\n}");
        File.WriteAllText(Path.Combine(rules, "a.min.js"), "if(a){b()}");
        File.WriteAllText(Path.Combine(rules, "a.json"), "{}");

        Assert.Equal("// ==== lib/rules/b.js ====\nif (a) {\n    b();\n}\n", JavaScriptSource.LoadFrom(directory));
    }

    [Fact]
    public void LoadFrom_MissingSourceFolder_SaysWhichFolder()
    {
        var error = Assert.Throws<DirectoryNotFoundException>(() => JavaScriptSource.LoadFrom(directory));

        Assert.Contains("lib/rules/", error.Message, StringComparison.Ordinal);
        Assert.Contains(directory, error.Message, StringComparison.Ordinal);
    }
}
