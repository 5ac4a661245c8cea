namespace MlNetRnn.Transforms.Interpretability;

/// <summary>One block of an <see cref="ActivationHtml"/> page: a passage coloured by one unit's activations.</summary>
/// <param name="Caption">The block's title line, for example "layer 1 h · unit 17 · inside "quotes" · AUC 0.973".</param>
/// <param name="Activations">One activation per character of the passage.</param>
/// <param name="Marked">Optional, one flag per character of the passage: where a property holds (drawn underlined).</param>
public sealed record ActivationBlock(string Caption, float[] Activations, bool[]? Marked = null);
