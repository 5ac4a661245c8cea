using MlNetRnn.Transforms.Interpretability;
using ScottPlot;

namespace MlNetRnn.Samples;

/// <summary>Draws the same picture as <see cref="ActivationHtml"/> as a PNG with ScottPlot: one block per unit, each
/// character a cell coloured by the unit's activation, underlined where the property holds.</summary>
internal static class ActivationPng
{
    private const double LineHeight = 1.5, CaptionHeight = 1.8;

    internal static void Save(string passage, IReadOnlyList<ActivationBlock> blocks, string title, string path, int columns = 100)
    {
        var lines = Wrap(passage, columns);
        int width = Math.Max(1, lines.Max(l => l.Length));
        var plot = new Plot();
        var heading = plot.Add.Text(title, 0, CaptionHeight);
        heading.LabelFontSize = 18;
        heading.LabelBold = true;
        heading.LabelFontName = "DejaVu Sans";
        heading.LabelAlignment = Alignment.UpperLeft;
        double y = 0;
        foreach (var block in blocks)
        {
            var caption = plot.Add.Text(block.Caption, 0, y);
            caption.LabelFontSize = 15;
            caption.LabelFontName = "DejaVu Sans";
            caption.LabelAlignment = Alignment.UpperLeft;
            y -= CaptionHeight;
            foreach (var (start, length) in lines)
            {
                for (int i = start; i < start + length; i++)
                {
                    double x = i - start;
                    var cell = plot.Add.Rectangle(x, x + 1, y - LineHeight, y);
                    cell.FillColor = Color.FromHex(ActivationHtml.ColorOf(block.Activations[i]));
                    cell.LineWidth = 0;
                    if (block.Marked?[i] == true)
                    {
                        var underline = plot.Add.Line(x, y - LineHeight + 0.1, x + 1, y - LineHeight + 0.1);
                        underline.LineWidth = 2.5f;
                        underline.LineColor = Colors.Black;
                    }
                    if (!char.IsWhiteSpace(passage[i]))
                    {
                        var glyph = plot.Add.Text(passage[i].ToString(), x + 0.5, y - LineHeight / 2);
                        glyph.LabelFontName = "DejaVu Sans Mono";
                        glyph.LabelFontSize = 14;
                        glyph.LabelAlignment = Alignment.MiddleCenter;
                    }
                }
                y -= LineHeight;
            }
            y -= 0.6;
        }
        plot.Axes.SetLimits(-0.5, width + 0.5, y, CaptionHeight * 1.2);
        plot.HideAxesAndGrid();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        plot.SavePng(path, (int)(width * 11 + 60), (int)((CaptionHeight - y) * 15 + 60));
    }

    // Lines of the passage as (start, length), newlines dropped and long lines wrapped at `columns`.
    private static List<(int Start, int Length)> Wrap(string passage, int columns)
    {
        var lines = new List<(int, int)>();
        int start = 0;
        for (int i = 0; i <= passage.Length; i++)
        {
            if (i == passage.Length || passage[i] == '\n' || i - start == columns)
            {
                lines.Add((start, i - start));
                start = i < passage.Length && passage[i] == '\n' ? i + 1 : i;
            }
        }
        return lines;
    }
}
