using Xunit;
using MlNetRnn.Training.Datasets;

namespace MlNetRnn.Training.Tests.Datasets;

public sealed class CmuPronouncingDictionaryTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("mlnetrnn-cmudict-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void LoadFrom_KeepsPrimaryWordsOfLettersAndApostrophes_AndCountsTheRest()
    {
        var dictionary = CmuPronouncingDictionary.LoadFrom(DatasetFixtures.PackageDirectory("cmudict"));

        Assert.Equal(43, dictionary.TotalEntries);
        Assert.Equal(6, dictionary.AlternativesDropped);   // a(2), unnaturally(2)…(4), zyuganov(2), zyuganov's(2)
        Assert.Equal(7, dictionary.WordsDropped);          // a. a.'s a.d. a.m. a.s all-out all-purpose
        Assert.Equal(30, dictionary.Entries.Count);
        Assert.Equal("'bout", dictionary.Entries[0].Word);
        Assert.Equal("zywicki", dictionary.Entries[^1].Word);
        Assert.Contains(dictionary.Entries, e => e.Word == "a's");
        Assert.Contains(dictionary.Entries, e => e.Word == "zyuganov's");
        Assert.DoesNotContain(dictionary.Entries, e => e.Word.Contains('(') || e.Word.Contains('.') || e.Word.Contains('-'));
    }

    [Fact]
    public void LoadFrom_StripsStressDigits_AndKeepsThePrimaryPronunciation()
    {
        var entries = CmuPronouncingDictionary.LoadFrom(DatasetFixtures.PackageDirectory("cmudict")).Entries.ToDictionary(e => e.Word);

        Assert.Equal(["T", "R", "IH", "P", "AH", "L", "EY"], entries["aaa"].Phonemes);
        Assert.Equal(["AH"], entries["a"].Phonemes);
        Assert.Equal(["AH", "N", "N", "AE", "CH", "ER", "AH", "L", "IY"], entries["unnaturally"].Phonemes);
    }

    [Fact]
    public void LoadFrom_RemovesTheCommentAfterTheHash()
    {
        var entries = CmuPronouncingDictionary.LoadFrom(DatasetFixtures.PackageDirectory("cmudict")).Entries.ToDictionary(e => e.Word);

        Assert.Equal(["AO", "L", "B", "AO", "R", "G"], entries["aalborg"].Phonemes);
    }

    [Fact]
    public void Phonemes_AreThe39ArpabetSymbols_WithoutStress()
    {
        Assert.Equal(39, CmuPronouncingDictionary.Phonemes.Count);
        Assert.Equal(39, CmuPronouncingDictionary.Phonemes.Distinct().Count());
        Assert.All(CmuPronouncingDictionary.Phonemes, p => Assert.Matches("^[A-Z]{1,2}$", p));
    }

    [Theory]
    [InlineData("AH0", "AH")]
    [InlineData("EY1", "EY")]
    [InlineData("OW2", "OW")]
    [InlineData("T", "T")]
    [InlineData("NG", "NG")]
    public void StripStress_RemovesATrailingStressDigitOnly(string symbol, string expected) =>
        Assert.Equal(expected, CmuPronouncingDictionary.StripStress(symbol));

    [Fact]
    public void LoadFrom_ReadsEscapesSingleQuotesCommentsAndATrailingComma()
    {
        Write("""
            // generated
            export const dictionary = {
              /* a comment with a "quote" */
              "don\'t": "D OW1 N T",
              'o\u0027neil': 'OW0 N IY1 L',
              "rock\x27n": "R AA1 K AH0 N",
              abc: "EY2 B IY2 S IY1",
            };
            export default dictionary
            """);

        var dictionary = CmuPronouncingDictionary.LoadFrom(directory);

        Assert.Equal(["don't", "o'neil", "rock'n", "abc"], dictionary.Entries.Select(e => e.Word));
        Assert.Equal(["OW", "N", "IY", "L"], dictionary.Entries[1].Phonemes);
    }

    [Fact]
    public void LoadFrom_UnknownSymbol_IsRejectedWithLineWordAndSymbol()
    {
        Write("export const dictionary = {\n  \"cat\": \"K AE1 T\",\n  \"dog\": \"D AO1 QX G\"\n}\n");

        var e = Assert.Throws<InvalidDataException>(() => CmuPronouncingDictionary.LoadFrom(directory));

        Assert.Contains("line 3, word \"dog\", symbol 3", e.Message);
        Assert.Contains("\"QX\"", e.Message);
    }

    [Fact]
    public void LoadFrom_StressDigitOnAConsonant_IsRejected()
    {
        Write("export const dictionary = {\"cat\": \"K1 AE1 T\"}");

        var e = Assert.Throws<InvalidDataException>(() => CmuPronouncingDictionary.LoadFrom(directory));

        Assert.Contains("\"K1\"", e.Message);
    }

    [Fact]
    public void LoadFrom_RepeatedWord_IsRejectedWithBothLines()
    {
        Write("export const dictionary = {\n\"cat\": \"K AE1 T\",\n\"cat\": \"K AA1 T\"\n}");

        var e = Assert.Throws<InvalidDataException>(() => CmuPronouncingDictionary.LoadFrom(directory));

        Assert.Contains("line 3: the word \"cat\" appears again (first on line 2)", e.Message);
    }

    [Theory]
    [InlineData("export const dictionary = {\n  \"cat\": \"K AE1 T\"\n  \"dog\": \"D AO1 G\"\n}", "line 3, column 3: expected ',' or '}' after the value of \"cat\"")]
    [InlineData("export const dictionary = {\n  \"cat\": 7\n}", "line 2, column 10: expected a string literal as the value of \"cat\"")]
    [InlineData("export const dictionary = {\n  \"cat\": \"K AE1 T\n}", "line 2, column 18: unterminated string literal")]
    [InlineData("export const dictionary = [\"cat\"]", "expected an object literal")]
    public void LoadFrom_MalformedObject_IsRejectedWithLineAndColumn(string source, string expected)
    {
        Write(source);

        var e = Assert.Throws<InvalidDataException>(() => CmuPronouncingDictionary.LoadFrom(directory));

        Assert.Contains(expected, e.Message);
        Assert.Contains("index.js", e.Message);
    }

    [Fact]
    public void Split_PutsEachWordInExactlyOnePart_IndependentOfInputOrder()
    {
        var dictionary = CmuPronouncingDictionary.LoadFrom(DatasetFixtures.PackageDirectory("cmudict"));
        var split = dictionary.Split();
        var reversed = (dictionary with { Entries = dictionary.Entries.Reverse().ToList() }).Split();

        Assert.Equal(dictionary.Entries.Count, split.Train.Count + split.Validation.Count + split.Test.Count);
        Assert.Equal(dictionary.Entries.Count, split.Train.Concat(split.Validation).Concat(split.Test).Select(e => e.Word).Distinct().Count());
        Assert.Equal(split.Train.Select(e => e.Word).Order(), reversed.Train.Select(e => e.Word).Order());
        Assert.Equal(split.Validation.Select(e => e.Word).Order(), reversed.Validation.Select(e => e.Word).Order());
        Assert.Equal(split.Test.Select(e => e.Word).Order(), reversed.Test.Select(e => e.Word).Order());
    }

    private void Write(string source) => File.WriteAllText(Path.Combine(directory, "index.js"), source);
}
