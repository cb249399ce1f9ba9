namespace ImageSocial;

/// <summary>The identifier of a user: a 64-bit, time-sortable, shard-carrying id (see <see cref="SnowflakeId"/>).</summary>
/// <param name="Value">The raw 64-bit value; always positive for a valid id.</param>
public readonly record struct UserId(long Value) : IComparable<UserId>, ISpanParsable<UserId>
{
    /// <summary>When the user was created, read from the id.</summary>
    public DateTimeOffset CreatedAt => SnowflakeId.GetCreatedAt(Value);

    /// <summary>The logical shard the user lives on, read from the id.</summary>
    public int LogicalShard => SnowflakeId.GetLogicalShard(Value);

    /// <inheritdoc />
    public int CompareTo(UserId other) => Value.CompareTo(other.Value);

    /// <summary>The decimal form of the id.</summary>
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Parses the decimal form of an id.</summary>
    /// <exception cref="InvalidIdException">The text is not a valid id.</exception>
    public static UserId Parse(string s) => Parse(s.AsSpan(), null);

    /// <inheritdoc />
    public static UserId Parse(string s, IFormatProvider? provider) => Parse(s.AsSpan(), provider);

    /// <inheritdoc />
    public static UserId Parse(ReadOnlySpan<char> s, IFormatProvider? provider) =>
        TryParse(s, provider, out var id) ? id : throw new InvalidIdException(nameof(UserId), s.Length > 64 ? s[..64].ToString() : s.ToString());

    /// <inheritdoc />
    public static bool TryParse(string? s, IFormatProvider? provider, out UserId result) => TryParse(s.AsSpan(), provider, out result);

    /// <summary>Parses the decimal form of an id without throwing.</summary>
    public static bool TryParse(string? s, out UserId result) => TryParse(s.AsSpan(), null, out result);

    /// <inheritdoc />
    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out UserId result)
    {
        var ok = SnowflakeId.TryParse(s, out var value);
        result = new UserId(value);
        return ok;
    }

    /// <summary>Compares ids by value (and so by creation time).</summary>
    public static bool operator <(UserId left, UserId right) => left.Value < right.Value;

    /// <summary>Compares ids by value (and so by creation time).</summary>
    public static bool operator >(UserId left, UserId right) => left.Value > right.Value;

    /// <summary>Compares ids by value (and so by creation time).</summary>
    public static bool operator <=(UserId left, UserId right) => left.Value <= right.Value;

    /// <summary>Compares ids by value (and so by creation time).</summary>
    public static bool operator >=(UserId left, UserId right) => left.Value >= right.Value;
}
