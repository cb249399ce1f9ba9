using ImageSocial.Embeddings;
using ImageSocial.Imaging.Vips.Tests;
using ImageSocial.Vectors.Embedded;
using Microsoft.Extensions.DependencyInjection;

namespace ImageSocial.Tests;

/// <summary>Embeddings are data: an index lost or switched is rebuilt from the vectors stored with the photos, without the model.</summary>
public sealed class IndexRebuildTests
{
    [Fact]
    public async Task An_empty_index_is_rebuilt_from_stored_embeddings_without_running_the_model_and_then_follows_the_feed()
    {
        using var folder = new ConformanceTests.TemporaryDirectory();
        UserId owner;
        var ids = new List<PhotoId>();
        IReadOnlyList<ScoredPhoto> before;
        using (var first = new TestHost(folder.Path))
        {
            owner = (await first.Service.CreateUserAsync("rebuild", "Rebuild")).Id;
            for (var i = 0; i < 6; i++)
            {
                var image = TestImages.Encode(96, 64, "jpeg", (x, y) => ((byte)(x * (i + 2)), (byte)(y * (i + 3)), (byte)(40 * i)));
                ids.Add((await first.Service.For(owner).UploadPhotoAsync(image, new PhotoDraft($"p{i}"))).Id);
            }

            await first.Jobs.RunDueAsync();
            await first.Service.For(owner).DeletePhotoAsync(ids[5]);
            await first.Jobs.RunDueAsync();
            before = await first.Service.For(owner).FindSimilarAsync(ids[0], 10);
        }

        // The same data with the index's folder gone.
        Directory.Delete(Path.Combine(folder.Path, "vectors"), recursive: true);
        Counting? engine = null;
        using var second = new TestHost(folder.Path, sp => engine = new Counting(new DescriptorEmbeddingEngine(sp.GetRequiredService<IImageCodec>())));
        var index = second.Get<IVectorIndex>();
        Assert.Equal(0, await index.CountAsync());

        var progress = new List<long>();
        var report = await second.Service.Index.RebuildAsync(new Progress(progress));
        Assert.Equal(5, report.Vectors);                       // the deleted photo's vector stays out
        Assert.Equal(5, await index.CountAsync());
        Assert.Equal(0, engine!.Calls);
        Assert.NotEmpty(progress);
        var after = await second.Service.For(owner).FindSimilarAsync(ids[0], 10);
        Assert.Equal(before.Select(s => s.Photo.Id), after.Select(s => s.Photo.Id));

        // The rebuild left the feed position at its start: later changes come through, earlier ones are not replayed.
        Assert.Equal(0, await second.Service.Index.CatchUpAsync());
        await second.Get<IPhotoStore>().UpdateAsync(ids[1], new PhotoUpdate(Visibility: Visibility.Private), []);
        Assert.Equal(1, await second.Service.Index.CatchUpAsync());
        Assert.Equal(Visibility.Private, (await index.GetAsync(ids[1].Value))!.Payload.Visibility);
        Assert.NotNull(await ((IVectorIndexCheckpoint)index).GetCheckpointAsync("change-feed"));
    }

    [Fact]
    public async Task A_host_further_behind_than_the_change_feed_keeps_reloads_its_index_from_stored_embeddings()
    {
        using var host = new TestHost();
        var owner = (await host.Service.CreateUserAsync("behind", "Behind")).Id;
        var ids = new List<PhotoId>();
        for (var i = 0; i < 3; i++)
        {
            var image = TestImages.Encode(96, 64, "jpeg", (x, y) => ((byte)(x * (i + 2)), (byte)(y * (i + 5)), (byte)(60 * i)));
            ids.Add((await host.Service.For(owner).UploadPhotoAsync(image, new PhotoDraft($"b{i}"))).Id);
        }

        await host.Jobs.RunDueAsync();
        await host.Service.Index.CatchUpAsync();
        var index = host.Get<IVectorIndex>();
        Assert.Equal(3, await index.CountAsync());

        // A change the index has not seen yet, then eight days pass: the retention pass prunes every change (the default keeps 7 days).
        await host.Get<IPhotoStore>().UpdateAsync(ids[2], new PhotoUpdate(Visibility: Visibility.Private), []);
        host.Clock.Now += TimeSpan.FromDays(8);
        await host.Service.PurgeExpiredAsync();
        await Assert.ThrowsAsync<ChangeFeedPositionExpiredException>(() => host.Get<IPhotoChangeFeed>().ReadChangesAsync(null, 10));

        // Following the feed finds its position expired and reloads the index from the stored vectors: the pruned change is only
        // there through that reload.
        Assert.Equal(Visibility.Public, (await index.GetAsync(ids[2].Value))!.Payload.Visibility);
        await host.Service.Index.CatchUpAsync();
        Assert.Equal(Visibility.Private, (await index.GetAsync(ids[2].Value))!.Payload.Visibility);
        Assert.Equal(3, await index.CountAsync());
        Assert.Equal(0, await host.Service.Index.CatchUpAsync());
        await host.Get<IPhotoStore>().UpdateAsync(ids[0], new PhotoUpdate(Visibility: Visibility.Private), []);
        Assert.Equal(1, await host.Service.Index.CatchUpAsync());
    }

    [Fact]
    public async Task A_deployment_upgraded_from_before_stored_embeddings_copies_its_index_vectors_into_the_store_without_the_model()
    {
        using var folder = new ConformanceTests.TemporaryDirectory();
        var ids = new List<PhotoId>();
        using (var first = new TestHost(folder.Path))
        {
            var owner = (await first.Service.CreateUserAsync("upgrade", "Upgrade")).Id;
            Assert.True(await first.Jobs.StartBackfillIfNeededAsync());
            for (var i = 0; i < 4; i++)
            {
                ids.Add((await first.Service.For(owner).UploadPhotoAsync(TestImages.Encode(80 + i, 64), new PhotoDraft($"u{i}"))).Id);
            }

            await first.Jobs.RunDueAsync();
            Assert.False(await first.Jobs.StartBackfillIfNeededAsync());
        }

        // As before this version: the vectors are in the host's index only.
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(folder.Path, "imagesocial.db")};Pooling=false"))
        {
            connection.Open();
            using var delete = connection.CreateCommand();
            delete.CommandText = "DELETE FROM embeddings";
            Assert.Equal(4, delete.ExecuteNonQuery());
        }

        Counting? engine = null;
        using var second = new TestHost(folder.Path, sp => engine = new Counting(new DescriptorEmbeddingEngine(sp.GetRequiredService<IImageCodec>())));
        Assert.True(await second.Jobs.StartBackfillIfNeededAsync());
        await second.Jobs.RunDueAsync();
        Assert.Equal(ids.Order(), (await second.Get<IEmbeddingStore>().ListEmbeddingsAsync(engine!.ModelId, new PageRequest())).Items.Select(e => e.Photo).Order());
        Assert.Equal(0, engine.Calls);
        Assert.False(await second.Jobs.StartBackfillIfNeededAsync());
    }

    private sealed class Progress(List<long> seen) : IProgress<long>
    {
        public void Report(long value) => seen.Add(value);
    }

    private sealed class Counting(IEmbeddingEngine inner) : IEmbeddingEngine
    {
        public int Calls;

        public string ModelId => inner.ModelId;

        public int Dimension => inner.Dimension;

        public Task<float[][]> EmbedAsync(IReadOnlyList<ReadOnlyMemory<byte>> images, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref Calls);
            return inner.EmbedAsync(images, cancellationToken);
        }
    }
}
