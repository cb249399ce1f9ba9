namespace ImageSocial.ConformanceTests;

/// <summary>The metadata contracts of one provider, over one database.</summary>
public sealed record MetadataStores(IUserStore Users, ISocialGraph Graph, IPhotoStore Photos, IInteractionStore Interactions, IOutbox Outbox, IEmbeddingSpaceStore Spaces,
    IEmbeddingStore Embeddings, IPhotoChangeFeed Changes, IModerationStore Moderation) : IDisposable
{
    /// <summary>All contracts served by one store object (as the SDK's SQL providers do).</summary>
    public static MetadataStores Of<T>(T store)
        where T : IUserStore, ISocialGraph, IPhotoStore, IInteractionStore, IOutbox, IEmbeddingSpaceStore, IEmbeddingStore, IPhotoChangeFeed, IModerationStore =>
        new(store, store, store, store, store, store, store, store, store);

    /// <summary>Disposed with the stores.</summary>
    public IDisposable? Owner { get; init; }

    private static long next = 1;

    /// <summary>A fresh id value on a shard, unique within the test run.</summary>
    public static long NewId(int shard = 1) =>
        SnowflakeId.Compose((long)(DateTimeOffset.UtcNow - SnowflakeId.Epoch).TotalMilliseconds, shard, (int)(Interlocked.Increment(ref next) % 1000));

    /// <summary>Creates a user.</summary>
    public async Task<User> UserAsync(string handle, bool isPrivate = false)
    {
        var user = new User(new UserId(NewId()), handle, handle.ToUpperInvariant(), isPrivate);
        await Users.CreateAsync(user);
        return user;
    }

    /// <summary>Creates a photo with made-up image facts.</summary>
    public async Task<Photo> PhotoAsync(User owner, string title = "", Visibility visibility = Visibility.Public, params string[] tags)
    {
        var photo = new Photo
        {
            Id = new PhotoId(NewId(owner.Id.LogicalShard)),
            OwnerId = owner.Id,
            Title = title,
            Tags = tags,
            Visibility = visibility,
            Image = new ImageInfo("jpeg", 4000, 3000, 6, 1) { CameraMake = "Canon", Latitude = 51.5, Longitude = -0.12 },
            RenditionContentType = "image/jpeg",
            OriginalBytes = 1234,
        };
        await Photos.CreateAsync(photo, [OutboxMessage.Create(OutboxKinds.PhotoCreated, photo.Id.Value)]);
        return photo;
    }

    /// <inheritdoc />
    public void Dispose() => Owner?.Dispose();
}
