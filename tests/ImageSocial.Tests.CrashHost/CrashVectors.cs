namespace ImageSocial;

/// <summary>The vector and payload of record <c>id</c>, so the test can check what it reads back.</summary>
internal static class CrashVectors
{
    public static VectorRecord Record(long id)
    {
        var random = new Random((int)id);
        var vector = Enumerable.Range(0, 16).Select(_ => (float)random.NextDouble()).ToArray();
        return new VectorRecord(id, vector, new VectorPayload(new UserId(SnowflakeId.Compose(1, 1, 1)), Visibility.Public, false, DateTimeOffset.UnixEpoch, []));
    }
}
