namespace MlNetRnn.Transforms.Generation;

/// <summary>The validated knobs of one search (beam search or sampling) plus the package's special ids.</summary>
/// <param name="BeamSize">Hypotheses per row (beam search; 1 = greedy).</param>
/// <param name="MaxLength">Most generated tokens per row, EOS not counted (one more step may still choose EOS).</param>
/// <param name="LengthPenalty">Alpha: scores are log-probability / length^alpha (length counting EOS); 0 ranks by log-probability.</param>
/// <param name="NBest">Hypotheses returned per row (≤ <paramref name="BeamSize"/>).</param>
/// <param name="BosId">The first previous token.</param>
/// <param name="EosId">The token that ends a sequence.</param>
/// <param name="PadId">Never generated.</param>
/// <param name="Temperature">Sampling: softmax temperature; 0 picks the most likely token.</param>
/// <param name="TopK">Sampling: draw among the k most likely tokens only; 0 = all.</param>
internal sealed record DecodingSettings(
    int BeamSize, int MaxLength, double LengthPenalty, int NBest, int BosId, int EosId, int PadId, double Temperature = 1, int TopK = 0)
{
    /// <summary>Tokens a search never emits: padding and BOS (unless BOS is EOS).</summary>
    public bool IsForbidden(int token) => token == PadId || (token == BosId && BosId != EosId);

    /// <summary>The length penalty length^alpha of a sequence of <paramref name="length"/> scored tokens (1 for length 0).</summary>
    public double Penalty(int length) => LengthPenalty == 0 || length == 0 ? 1 : Math.Pow(length, LengthPenalty);
}
