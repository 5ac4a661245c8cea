using System.Globalization;
using System.Text;

namespace MlNetRnn.Transforms.Interpretability;

/// <summary>
/// Renders a passage coloured character by character by hidden units' activations as a self-contained HTML page
/// (inline CSS, no scripts, no external resources), one block per unit, one under another.
/// </summary>
/// <remarks>
/// <para>Colours, as in the lecture: an activation of +1 is blue, 0 is white and −1 is red,
/// linearly in between (blue #4393c3, red #d6604d, so the black text stays readable); values outside [−1, 1] (cell
/// states can leave it) are drawn at the end colour. Characters where the block's property holds are underlined.</para>
/// <para>Structure, stable for tests and tools: each block is a <c>&lt;div class="unit"&gt;</c> with an
/// <c>&lt;h2&gt;</c> caption and a <c>&lt;pre&gt;</c> holding exactly one <c>&lt;span class="c"</c> (or
/// <c>class="c p"</c> where the property holds) per character of the passage, with the activation in
/// <c>data-v</c> and the colour in <c>style="background:#rrggbb"</c>. Whitespace and newlines are kept; <c>&lt; &gt; &amp; "</c>
/// are escaped; a carriage return gets an empty span, other control characters and lone surrogates are drawn as U+FFFD,
/// and a surrogate pair is written whole into its first span (its second span is empty). The page is well-formed XML.</para>
/// </remarks>
public static class ActivationHtml
{
    private static readonly (int R, int G, int B) Positive = (0x43, 0x93, 0xc3), Negative = (0xd6, 0x60, 0x4d);

    /// <summary>Renders a passage once per block, each coloured by its own activations.</summary>
    /// <param name="passage">The text to draw.</param>
    /// <param name="blocks">The units to draw, top to bottom; each has one activation (and mark) per character of <paramref name="passage"/>.</param>
    /// <param name="title">The page's heading.</param>
    /// <returns>The HTML page.</returns>
    /// <exception cref="ArgumentNullException">An argument or a block is null.</exception>
    /// <exception cref="ArgumentException">A block has no caption, or its activations or marks are not one per character of the passage.</exception>
    public static string Render(string passage, IReadOnlyList<ActivationBlock> blocks, string title)
    {
        ArgumentNullException.ThrowIfNull(passage);
        ArgumentNullException.ThrowIfNull(blocks);
        ArgumentNullException.ThrowIfNull(title);
        for (int b = 0; b < blocks.Count; b++)
        {
            var block = blocks[b] ?? throw new ArgumentNullException(nameof(blocks), $"Block {b} is null.");
            if (block.Caption is null)
                throw new ArgumentException($"Block {b} has no caption; expected a title line such as \"layer 1 h, unit 3\".", nameof(blocks));
            if (block.Activations is null || block.Activations.Length != passage.Length)
                throw new ArgumentException($"Block {b} ('{block.Caption}') has {block.Activations?.Length ?? 0} activations; expected {passage.Length}, one per character of the passage.", nameof(blocks));
            if (block.Marked is not null && block.Marked.Length != passage.Length)
                throw new ArgumentException($"Block {b} ('{block.Caption}') has {block.Marked.Length} marks; expected {passage.Length}, one per character of the passage.", nameof(blocks));
        }

        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>").Append(Escape(title)).Append("</title>\n<style>\n")
            .Append("body { font-family: sans-serif; margin: 1.5em; color: #111; background: #fff; }\n")
            .Append("h1 { font-size: 1.3em; } h2 { font-size: 1em; font-weight: normal; margin: 1.2em 0 0.3em; }\n")
            .Append("pre { font-family: monospace; font-size: 14px; line-height: 1.45; white-space: pre-wrap; tab-size: 4; margin: 0; padding: 0.4em; border: 1px solid #ccc; }\n")
            .Append(".c { padding: 0.13em 0; }\n.c.p { box-shadow: inset 0 -3px 0 #111; }\n")
            .Append(".key { font-family: monospace; padding: 0 0.4em; border: 1px solid #ccc; }\n")
            .Append("</style>\n</head>\n<body>\n<h1>").Append(Escape(title)).Append("</h1>\n")
            .Append("<p class=\"legend\">activation ");
        foreach (float key in new[] { -1f, -0.5f, 0f, 0.5f, 1f })
            html.Append("<span class=\"key\" style=\"background:").Append(ColorOf(key)).Append("\">").Append(key.ToString("+0.#;-0.#;0", CultureInfo.InvariantCulture)).Append("</span>");
        html.Append("; <span style=\"box-shadow: inset 0 -3px 0 #111\">underlined</span> = the property holds</p>\n");
        foreach (var block in blocks)
        {
            html.Append("<div class=\"unit\">\n<h2>").Append(Escape(block.Caption)).Append("</h2>\n<pre>");
            for (int i = 0; i < passage.Length; i++)
            {
                float v = block.Activations[i];
                html.Append(block.Marked?[i] == true ? "<span class=\"c p\"" : "<span class=\"c\"")
                    .Append(" data-v=\"").Append(v.ToString("0.###", CultureInfo.InvariantCulture))
                    .Append("\" style=\"background:").Append(ColorOf(v)).Append("\">")
                    .Append(Glyph(passage, i)).Append("</span>");
            }
            html.Append("</pre>\n</div>\n");
        }
        return html.Append("</body>\n</html>\n").ToString();
    }

    /// <summary>Renders, for every property of a unit search, its best units over a passage of the searched text, with the property marked.</summary>
    /// <param name="text">The text the search ran on.</param>
    /// <param name="tracks">The tracks the search ran on (found by <see cref="UnitTrack.Name"/>).</param>
    /// <param name="result">The search's result.</param>
    /// <param name="passage">The part of <paramref name="text"/> to draw, for example <c>0..2000</c>.</param>
    /// <param name="unitsPerProperty">How many of each property's best units to draw.</param>
    /// <param name="title">The page's heading.</param>
    /// <returns>The HTML page: <see cref="Blocks"/> rendered over <c>text[passage]</c>.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">See <see cref="Blocks"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">See <see cref="Blocks"/>.</exception>
    public static string Render(string text, IReadOnlyList<UnitTrack> tracks, UnitSearchResult result, Range passage, int unitsPerProperty = 1, string title = "What single units track")
    {
        var blocks = Blocks(text, tracks, result, passage, unitsPerProperty);
        return Render(text[passage], blocks, title);
    }

    /// <summary>The blocks <see cref="Render(string, IReadOnlyList{UnitTrack}, UnitSearchResult, Range, int, string)"/> draws:
    /// for each property, in order, its best units over the passage, captioned with track, unit, score and direction, and
    /// marked where a binary property holds (numeric properties mark nothing). Use them to draw the same picture elsewhere.</summary>
    /// <param name="text">The text the search ran on.</param>
    /// <param name="tracks">The tracks the search ran on (found by <see cref="UnitTrack.Name"/>).</param>
    /// <param name="result">The search's result.</param>
    /// <param name="passage">The part of <paramref name="text"/> the blocks cover.</param>
    /// <param name="unitsPerProperty">How many of each property's best units to include.</param>
    /// <returns>The blocks, one activation and mark per character of <c>text[passage]</c>.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A unit of <paramref name="result"/> belongs to no track of <paramref name="tracks"/>,
    /// or its track does not cover the text.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="passage"/> is not inside the text, or <paramref name="unitsPerProperty"/> is less than 1.</exception>
    public static IReadOnlyList<ActivationBlock> Blocks(string text, IReadOnlyList<UnitTrack> tracks, UnitSearchResult result, Range passage, int unitsPerProperty = 1)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(tracks);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentOutOfRangeException.ThrowIfLessThan(unitsPerProperty, 1);
        var (start, length) = passage.GetOffsetAndLength(text.Length);
        var blocks = new List<ActivationBlock>();
        foreach (var ranking in result.Rankings)
        {
            bool[]? marked = ranking.Property.Kind == CharPropertyKind.Binary ? ranking.Property.Holds(text)[start..(start + length)] : null;
            foreach (var unit in ranking.Top.Take(unitsPerProperty))
            {
                var track = tracks.FirstOrDefault(t => t.Name == unit.Track)
                    ?? throw new ArgumentException($"The result ranks unit {unit.Unit} of track '{unit.Track}', but no track has that name.", nameof(tracks));
                if (track.Positions != text.Length || unit.Unit >= track.Units)
                    throw new ArgumentException($"Track '{track.Name}' has {track.Positions} positions × {track.Units} units; expected {text.Length} positions and unit {unit.Unit}.", nameof(tracks));
                var activations = new float[length];
                for (int i = 0; i < length; i++)
                    activations[i] = track[start + i, unit.Unit];
                var (score, direction) = UnitSearchResult.Describe(ranking.Property.Kind, unit);
                string caption = $"{ranking.Property.Name}: {track.Name}, unit {unit.Unit}, {score}, {direction}" + (marked is null ? "" : " (underlined where it holds)");
                blocks.Add(new ActivationBlock(caption, activations, marked));
            }
        }
        return blocks;
    }

    /// <summary>The colour the page gives an activation, for pictures drawn elsewhere (a PNG) to match it.</summary>
    /// <param name="value">The activation: −1 is red, 0 white, +1 blue, linearly in between, clamped outside; NaN is white.</param>
    /// <returns>The colour as <c>#rrggbb</c>.</returns>
    public static string ColorOf(float value)
    {
        float t = float.IsNaN(value) ? 0 : Math.Clamp(value, -1f, 1f);
        var end = t >= 0 ? Positive : Negative;
        float a = Math.Abs(t);
        int Mix(int channel) => (int)Math.Round(255 + (channel - 255) * a, MidpointRounding.AwayFromZero);
        return string.Create(CultureInfo.InvariantCulture, $"#{Mix(end.R):x2}{Mix(end.G):x2}{Mix(end.B):x2}");
    }

    private static string Glyph(string text, int i)
    {
        char ch = text[i];
        if (char.IsHighSurrogate(ch) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            return text.Substring(i, 2);
        if (char.IsLowSurrogate(ch) && i > 0 && char.IsHighSurrogate(text[i - 1]))
            return "";
        return ch switch
        {
            '\r' => "",
            '\n' or '\t' => ch.ToString(),
            _ when char.IsControl(ch) || char.IsSurrogate(ch) => "\uFFFD",
            _ => Escape(ch.ToString()),
        };
    }

    private static string Escape(string s) => s.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal);
}
