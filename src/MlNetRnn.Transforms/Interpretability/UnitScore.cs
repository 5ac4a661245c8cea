namespace MlNetRnn.Transforms.Interpretability;

/// <summary>How well one unit tracks one property, from <see cref="UnitSearch"/>.</summary>
/// <param name="Track">The <see cref="UnitTrack.Name"/> of the unit's group.</param>
/// <param name="Unit">The unit's index in its group.</param>
/// <param name="Metric">For a binary property, the ROC AUC of the unit's activation as a detector of the property
/// (0.5 = chance, below 0.5 = the unit is lower where it holds); for a numeric one, Pearson's r.</param>
/// <param name="Score">What units are ranked by: max(AUC, 1 − AUC) for a binary property, |r| for a numeric one.</param>
/// <param name="Direction">Whether the unit is higher (rises) or lower (falls) with the property.</param>
public sealed record UnitScore(string Track, int Unit, double Metric, double Score, UnitDirection Direction);
