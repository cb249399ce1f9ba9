namespace ImageSocial.Embeddings;

/// <summary>ONNX Runtime's graph optimization levels (its <c>GraphOptimizationLevel</c> values).</summary>
public enum GraphOptimization
{
    /// <summary>None.</summary>
    Disabled = 0,

    /// <summary>Semantics-preserving node removals and constant folding.</summary>
    Basic = 1,

    /// <summary>Basic plus node fusions.</summary>
    Extended = 2,

    /// <summary>Everything, layout optimizations included.</summary>
    All = 99,
}
