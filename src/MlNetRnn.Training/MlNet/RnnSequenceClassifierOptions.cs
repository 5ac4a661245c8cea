namespace MlNetRnn.Training;

/// <summary>
/// Settings of <see cref="RnnSequenceClassifierTrainer"/>: one class per row. <see cref="RnnTrainerOptions.LabelColumnName"/>
/// names a <c>Key&lt;UInt32&gt;</c> column (for example from <c>MapValueToKey</c>); its key values become the class names.
/// </summary>
/// <remarks>See <see cref="RnnTrainerOptions"/> for every setting and its default.</remarks>
public sealed class RnnSequenceClassifierOptions : RnnTrainerOptions
{
}
