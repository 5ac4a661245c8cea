using MlNetRnn.Training.Data;
using Xunit;

namespace MlNetRnn.Training.Tests.Data;

public sealed class VocabularyTests
{
    [Fact]
    public void BuildCharacterLevel_ReservesPadAndUnknownThenOrdersByCountThenOrdinal()
    {
        var vocabulary = Vocabulary.BuildCharacterLevel(["abba", "cab"]);

        Assert.Equal(["<pad>", "<unk>", "a", "b", "c"], vocabulary.Tokens);
        Assert.Equal(0, Vocabulary.PadId);
        Assert.Equal(1, Vocabulary.UnkId);
        Assert.Equal(5, vocabulary.Count);
    }

    [Fact]
    public void BuildCharacterLevel_DoesNotDependOnTextOrder()
    {
        var one = Vocabulary.BuildCharacterLevel(["hello world", "xyz zz"]);
        var other = Vocabulary.BuildCharacterLevel(["xyz zz", "hello world"]);

        Assert.Equal(one.Tokens, other.Tokens);
    }

    [Fact]
    public void BuildCharacterLevel_KeepsWhitespaceAndAppliesMinCountAndMaxSize()
    {
        var vocabulary = Vocabulary.BuildCharacterLevel(["aaa bb\nc"], minCount: 2);
        Assert.Equal(["<pad>", "<unk>", "a", "b"], vocabulary.Tokens);

        var withSpace = Vocabulary.BuildCharacterLevel(["a a a b"]);
        Assert.Contains(" ", withSpace.Tokens);

        var capped = Vocabulary.BuildCharacterLevel(["aaabbc"], maxSize: 3);
        Assert.Equal(["<pad>", "<unk>", "a"], capped.Tokens);
    }

    [Fact]
    public void BuildCharacterLevel_LowercasesWhenAsked()
    {
        var vocabulary = Vocabulary.BuildCharacterLevel(["AaB"], lowercase: true);

        Assert.Equal(["<pad>", "<unk>", "a", "b"], vocabulary.Tokens);
        Assert.Equal([2, 2, 3], vocabulary.Encode("AAb"));
    }

    [Fact]
    public void Encode_MapsUnknownTokensToUnkId()
    {
        var vocabulary = Vocabulary.BuildCharacterLevel(["ab"]);

        Assert.Equal([2, 1, 3], vocabulary.Encode("azb"));
    }

    [Fact]
    public void EncodeThenDecode_CharacterLevel_GivesTheTextBack()
    {
        const string text = "the cat sat.\nThe end";
        var vocabulary = Vocabulary.BuildCharacterLevel([text]);

        Assert.Equal(text, vocabulary.Decode(vocabulary.Encode(text)));
    }

    [Fact]
    public void EncodeThenDecode_WordLevel_GivesTheTokensJoinedBySpaces()
    {
        var vocabulary = Vocabulary.BuildWordLevel(["Don't stop, it's 9 o'clock!"]);

        Assert.Equal("don't stop , it's 9 o'clock !", vocabulary.Decode(vocabulary.Encode("Don't   STOP, it's 9 o'clock!")));
    }

    [Fact]
    public void Decode_SkipsPaddingAndRejectsIdsOutOfRange()
    {
        var vocabulary = Vocabulary.BuildCharacterLevel(["ab"]);

        Assert.Equal("ab<unk>", vocabulary.Decode([0, 2, 0, 3, 1, 0]));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => vocabulary.Decode([2, 4]));
        Assert.Contains("[0, 4)", error.Message);
    }

    [Theory]
    [InlineData("Hello, world!", "hello|,|world|!")]
    [InlineData("don't  stop", "don't|stop")]
    [InlineData("rock'n'roll", "rock'n|'|roll")]
    [InlineData("a-b  c_d 3.14", "a|-|b|c_d|3|.|14")]
    [InlineData("  ", "")]
    [InlineData("café Über", "café|über")]
    public void Tokenize_WordLevel_SplitsWordsAndPunctuationWithTheDocumentedPattern(string text, string expected)
    {
        var settings = new TokenizationSettings(TokenizationLevel.Word, lowercase: true);

        var tokens = Vocabulary.Tokenize(text, settings);

        Assert.Equal(expected, string.Join("|", tokens));
        Assert.Equal(@"\w+(?:'\w+)?|[^\w\s]", settings.Pattern);
    }

    [Fact]
    public void Tokenize_CharacterLevel_GivesOneTokenPerUtf16CodeUnit()
    {
        var settings = new TokenizationSettings(TokenizationLevel.Character, lowercase: false);

        Assert.Equal(["A", " ", "b", "\n"], Vocabulary.Tokenize("A b\n", settings));
    }

    [Fact]
    public void BuildWordLevel_AppliesMinCountAndMaxSize()
    {
        string[] texts = ["the cat and the dog", "the dog barks", "a cat"];

        var vocabulary = Vocabulary.BuildWordLevel(texts, minCount: 2);
        Assert.Equal(["<pad>", "<unk>", "the", "cat", "dog"], vocabulary.Tokens);

        var capped = Vocabulary.BuildWordLevel(texts, maxSize: 4);
        Assert.Equal(["<pad>", "<unk>", "the", "cat"], capped.Tokens);
    }

    [Fact]
    public void SaveThenLoad_File_RestoresTokensAndSettings()
    {
        var vocabulary = Vocabulary.BuildWordLevel(["Émile said \"hi\" — twice"], lowercase: false);
        string path = Path.Combine(Path.GetTempPath(), $"vocab-{Guid.NewGuid():N}.json");
        try
        {
            vocabulary.Save(path);
            var loaded = Vocabulary.Load(path);

            Assert.Equal(vocabulary.Tokens, loaded.Tokens);
            Assert.Equal(vocabulary.Settings, loaded.Settings);
            Assert.Equal(vocabulary.Encode("Émile twice"), loaded.Encode("Émile twice"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ToJsonThenFromJson_RestoresTheVocabulary()
    {
        var vocabulary = Vocabulary.BuildCharacterLevel(["xyz\t"], lowercase: true);

        var restored = Vocabulary.FromJson(vocabulary.ToJson());

        Assert.Equal(vocabulary.Tokens, restored.Tokens);
        Assert.Equal(new TokenizationSettings(TokenizationLevel.Character, true), restored.Settings);
        Assert.Contains("\"tokenization\":{\"level\":\"char\",\"lowercase\":true}", vocabulary.ToJson());
    }

    [Fact]
    public void FromJson_RejectsOtherDocuments()
    {
        Assert.Throws<FormatException>(() => Vocabulary.FromJson("[1,2]"));
        Assert.Throws<FormatException>(() => Vocabulary.FromJson("{\"format\":\"mlnetrnn.vocabulary\",\"version\":2}"));
        Assert.Throws<FormatException>(() => Vocabulary.FromJson("not json"));
    }

    [Fact]
    public void FromTokens_RequiresReservedTokensFirstAndDistinctTokens()
    {
        var settings = new TokenizationSettings(TokenizationLevel.Word, false);

        var restored = Vocabulary.FromTokens(["<pad>", "<unk>", "x"], settings);
        Assert.Equal(2, restored.IdOf("x"));

        var misplaced = Assert.Throws<ArgumentException>(() => Vocabulary.FromTokens(["<unk>", "<pad>", "x"], settings));
        Assert.Contains("\"<pad>\" at id 0", misplaced.Message);
        var repeated = Assert.Throws<ArgumentException>(() => Vocabulary.FromTokens(["<pad>", "<unk>", "x", "x"], settings));
        Assert.Contains("ids 2 and 3", repeated.Message);
    }

    [Fact]
    public void BuildFromTokens_CountsPreTokenizedSequences()
    {
        var settings = new TokenizationSettings(TokenizationLevel.Word, lowercase: true);

        var vocabulary = Vocabulary.BuildFromTokens([["The", "dog"], ["the", "end"]], settings);

        Assert.Equal(["<pad>", "<unk>", "the", "dog", "end"], vocabulary.Tokens);
        Assert.Equal([2, 3, 1], vocabulary.EncodeTokens(["THE", "Dog", "cat"]));
    }

    [Fact]
    public void Build_RejectsOutOfRangeLimits()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Vocabulary.BuildCharacterLevel(["a"], minCount: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Vocabulary.BuildCharacterLevel(["a"], maxSize: 1));
        Assert.Throws<ArgumentNullException>(() => Vocabulary.BuildCharacterLevel([null!]));
    }

    [Fact]
    public void Build_WithACustomPattern_TokenizesWithIt()
    {
        var settings = new TokenizationSettings(TokenizationLevel.Word, lowercase: true, pattern: @"[a-z]+|\d");

        var vocabulary = Vocabulary.Build(["Room 101, floor 12"], settings);

        Assert.Equal(["room", "1", "0", "1", "floor", "1", "2"], vocabulary.Tokenize("Room 101, floor 12"));
        Assert.Equal(["<pad>", "<unk>", "1", "0", "2", "floor", "room"], vocabulary.Tokens);
        Assert.Equal(settings, vocabulary.Settings);
    }

    [Fact]
    public void WithTokens_AppendsMissingTokensTheTokenizerKeepsWhole_KeepingEveryId()
    {
        var vocabulary = Vocabulary.BuildWordLevel(["good movie good"]);

        var extended = vocabulary.WithTokens(["the", "movie", "Cap", "two words", "don't", "the", ","]);

        Assert.Equal([Vocabulary.PadToken, Vocabulary.UnkToken, "good", "movie", "the", "don't", ","], extended.Tokens);
        Assert.Equal(vocabulary.Settings, extended.Settings);
        Assert.Equal(4, vocabulary.Count);
    }
}
