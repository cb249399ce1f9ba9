namespace ImageSocial.ConformanceTests;

[ConformanceSuite(typeof(IEmbeddingSpaceStore))]
public abstract class EmbeddingSpaceStoreTests : MetadataSuite
{
    [Fact]
    public virtual async Task The_latest_registered_space_is_current_and_registering_again_changes_nothing()
    {
        var now = DateTimeOffset.UtcNow;
        var first = await Stores.Spaces.RegisterSpaceAsync("model-a/v1", 512, now);
        Assert.Equal(("model-a/v1", 512, true, 0L, false), (first.Id, first.Dimension, first.IsCurrent, first.BackfilledPhotos, first.IsBackfilled));
        var second = await Stores.Spaces.RegisterSpaceAsync("model-b", 64, now.AddMinutes(1));
        Assert.True(second.IsCurrent);
        var again = await Stores.Spaces.RegisterSpaceAsync("model-a/v1", 512, now.AddMinutes(2));
        Assert.False(again.IsCurrent);
        Assert.Equal(first.RegisteredAt.ToUnixTimeMilliseconds(), again.RegisteredAt.ToUnixTimeMilliseconds());
        Assert.Equal(["model-b", "model-a/v1"], (await Stores.Spaces.ListSpacesAsync()).Select(s => s.Id));
        await Assert.ThrowsAsync<ConflictException>(() => Stores.Spaces.RegisterSpaceAsync("model-b", 128, now));
    }

    [Fact]
    public virtual async Task Backfill_progress_adds_up_and_completes_once()
    {
        var now = DateTimeOffset.UtcNow;
        await Stores.Spaces.RegisterSpaceAsync("space", 3, now);
        await Stores.Spaces.RecordBackfillAsync("space", 64, null);
        await Stores.Spaces.RecordBackfillAsync("space", 10, now.AddMinutes(1));
        await Stores.Spaces.RecordBackfillAsync("space", 0, now.AddMinutes(5));
        var space = Assert.Single(await Stores.Spaces.ListSpacesAsync());
        Assert.Equal(74, space.BackfilledPhotos);
        Assert.Equal(now.AddMinutes(1).ToUnixTimeMilliseconds(), space.BackfillCompletedAt!.Value.ToUnixTimeMilliseconds());
        await Assert.ThrowsAsync<NotFoundException>(() => Stores.Spaces.RecordBackfillAsync("unknown", 1, null));
    }
}
