namespace MlNetRnn.Transforms.Interpretability;

/// <summary>The units that track one property best, from <see cref="UnitSearch"/>.</summary>
/// <param name="Property">The property.</param>
/// <param name="Top">The best units, best first (ties in track order, then unit order).</param>
public sealed record PropertyRanking(CharProperty Property, IReadOnlyList<UnitScore> Top);
