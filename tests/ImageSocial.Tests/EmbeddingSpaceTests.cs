using System.Numerics.Tensors;
using ImageSocial.Embeddings;
using ImageSocial.Imaging.Vips.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace ImageSocial.Tests;

/// <summary>Changing the embedding model starts a new space: an empty index the backfill job fills, never mixed with the old one.</summary>
public sealed class EmbeddingSpaceTests
{
    [Fact]
    public async Task Another_model_gets_its_own_index_filled_in_the_background()
    {
        using var folder = new ConformanceTests.TemporaryDirectory();
        UserId owner;
        var ids = new List<PhotoId>();
        using (var first = new TestHost(folder.Path))
        {
            Assert.True(await first.Jobs.StartBackfillIfNeededAsync()); // a new install: nothing to embed, then complete
            owner = (await first.Service.CreateUserAsync("spaces", "Spaces")).Id;
            for (var i = 0; i < 5; i++)
            {
                var image = TestImages.Encode(96, 64, "jpeg", (x, y) => ((byte)(x * (i + 2)), (byte)(y * (i + 3)), (byte)(40 * i)));
                ids.Add((await first.Service.For(owner).UploadPhotoAsync(image, new PhotoDraft($"p{i}"))).Id);
            }

            await first.Jobs.RunDueAsync();
            Assert.Equal(5, await first.Get<IVectorIndex>().CountAsync());
            Assert.False(await first.Jobs.StartBackfillIfNeededAsync());
        }

        using var second = new TestHost(folder.Path, sp => new Truncated(new DescriptorEmbeddingEngine(sp.GetRequiredService<IImageCodec>())));
        Assert.Equal(0, await second.Get<IVectorIndex>().CountAsync()); // a 64-d space cannot share the 320-d index
        Assert.True(await second.Jobs.StartBackfillIfNeededAsync());
        await second.Jobs.RunDueAsync();
        var index = second.Get<IVectorIndex>();
        Assert.Equal(5, await index.CountAsync());
        Assert.All(ids, id => Assert.Equal(64, index.GetAsync(id.Value).Result!.Vector.Length));
        Assert.Contains(ids[1], (await second.Service.For(owner).FindSimilarAsync(ids[0], 10)).Select(s => s.Photo.Id));
        Assert.False(await second.Jobs.StartBackfillIfNeededAsync());
        Assert.True(Directory.Exists(Path.Combine(folder.Path, "vectors", new DescriptorEmbeddingEngine(second.Get<IImageCodec>()).ModelId)));
        Assert.True(Directory.Exists(Path.Combine(folder.Path, "vectors", "truncated-64-v1")));
    }

    /// <summary>Another embedding space for the test: the first 64 values of the descriptor, renormalized.</summary>
    private sealed class Truncated(IEmbeddingEngine inner) : IEmbeddingEngine
    {
        public string ModelId => "truncated-64-v1";

        public int Dimension => 64;

        public async Task<float[][]> EmbedAsync(IReadOnlyList<ReadOnlyMemory<byte>> images, CancellationToken cancellationToken = default) =>
            [.. (await inner.EmbedAsync(images, cancellationToken)).Select(v =>
            {
                var head = v[..64];
                TensorPrimitives.Divide(head, TensorPrimitives.Norm(head), head);
                return head;
            })];
    }
}
