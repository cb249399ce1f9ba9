namespace ImageSocial.Shared.Vectors;

/// <summary>The checks a remote vector provider makes before a request leaves the process, so bad input is a
/// <see cref="ValidationException"/> that changed nothing, never a server error halfway through a batch.</summary>
/// <remarks>Shared source, compiled into each remote vector provider.</remarks>
internal static class VectorChecks
{
    internal const int MaxDimension = 65_536;

    /// <summary>The one dimension of <paramref name="records"/>: every vector has it, every value is finite, every id is positive.</summary>
    internal static int Dimension(IReadOnlyList<VectorRecord> records)
    {
        var dimension = records[0].Vector.Length;
        if (dimension is < 1 or > MaxDimension)
        {
            throw new ValidationException($"A vector must have 1 to {MaxDimension} dimensions.") { ParameterName = "records" };
        }

        foreach (var record in records)
        {
            ArgumentNullException.ThrowIfNull(record);
            if (record.Id <= 0)
            {
                throw new ValidationException($"Record ids are positive; {record.Id} is not.") { ParameterName = "records" };
            }

            if (record.Vector.Length != dimension)
            {
                throw new ValidationException($"The vectors of one batch share one dimension: {record.Vector.Length} is not {dimension}.") { ParameterName = "records" };
            }

            Finite(record.Vector.Span, "records");
        }

        return dimension;
    }

    /// <summary>Checks a batch's dimension against the collection's.</summary>
    internal static void SameDimension(int batch, int collection)
    {
        if (collection != 0 && batch != collection)
        {
            throw new ValidationException($"The vector has {batch} dimensions; this index holds {collection}.") { ParameterName = "records" };
        }
    }

    /// <summary>Checks a query vector against the collection's dimension.</summary>
    internal static void Query(ReadOnlyMemory<float> query, int dimension)
    {
        if (dimension != 0 && query.Length != dimension)
        {
            throw new ValidationException($"The query has {query.Length} dimensions; this index holds {dimension}.") { ParameterName = nameof(query) };
        }

        Finite(query.Span, nameof(query));
    }

    private static void Finite(ReadOnlySpan<float> values, string parameter)
    {
        foreach (var value in values)
        {
            if (!float.IsFinite(value))
            {
                throw new ValidationException("A vector holds a value that is not finite.") { ParameterName = parameter };
            }
        }
    }
}
