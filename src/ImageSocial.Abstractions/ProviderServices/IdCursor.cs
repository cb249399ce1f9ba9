namespace ImageSocial.ProviderServices;

/// <summary>Encodes and decodes the opaque cursors of id-ordered pages (newest first).</summary>
/// <remarks>A cursor is the last returned id in a URL-safe base64 form; anything else is a <see cref="ValidationException"/>.</remarks>
public static class IdCursor
{
    /// <summary>Makes the cursor that resumes after <paramref name="lastId"/>.</summary>
    public static string Encode(long lastId)
    {
        Span<byte> bytes = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(bytes, lastId);
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>Reads a cursor; <see langword="null"/> or empty means the first page.</summary>
    /// <exception cref="ValidationException">The cursor was not made by <see cref="Encode"/>.</exception>
    public static long? Decode(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return null;
        }

        if (cursor.Length != 11)
        {
            throw new ValidationException("The cursor is malformed.") { ParameterName = "cursor" };
        }

        Span<byte> bytes = stackalloc byte[8];
        var text = cursor.Replace('-', '+').Replace('_', '/') + "=";
        if (!Convert.TryFromBase64String(text, bytes, out var written) || written != 8)
        {
            throw new ValidationException("The cursor is malformed.") { ParameterName = "cursor" };
        }

        var value = System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(bytes);
        return value > 0 ? value : throw new ValidationException("The cursor is malformed.") { ParameterName = "cursor" };
    }
}
