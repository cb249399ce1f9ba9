using System.Numerics.Tensors;
using ImageSocial.ConformanceTests;
using ImageSocial.Testing.Servers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ImageSocial.Embeddings.Tests;

/// <summary>Both engines on real photographs (tools/real-photos.sh) and edited copies of them: the gallery is every photo, and an edited
/// copy must find its own original first.</summary>
public sealed class RealPhotoTests : IDisposable
{
    private readonly TemporaryDirectory work = new();

    [Fact]
    public async Task The_resnet18_preset_finds_the_original_of_a_resized_recompressed_and_cropped_copy_first()
    {
        // The preset from configuration alone: no model path, the model found in the NuGet cache (the package is a PackageDownload here).
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Preset"] = "resnet18" }).Build();
        await using var provider = Provider(b => b.AddOnnxEmbeddings(configuration));
        var engine = provider.GetRequiredService<IEmbeddingEngine>();
        Assert.Equal((512, "resnet18-imagenet-dnnfeaturizer-0.23.1"), (engine.Dimension, engine.ModelId));

        var gallery = RealPhotos.Photos;
        var queries = gallery.Where((_, i) => i % 7 == 0).ToList();
        var copies = queries.Select(photo => Chain(photo, "resize", "recompress", "crop")).ToList();
        await AssertOriginalsFirstAsync(engine, gallery, queries, copies);
    }

    [Fact]
    public async Task The_descriptor_finds_the_original_of_a_mirrored_and_framed_copy_first()
    {
        await using var provider = Provider(b => b.AddDescriptorEmbeddings());
        var engine = provider.GetRequiredService<IEmbeddingEngine>();
        var gallery = RealPhotos.Photos;
        var queries = gallery.Where((_, i) => i % 5 == 0).ToList();
        var copies = queries.Select(photo => Chain(photo, "mirror", "border")).ToList();
        await AssertOriginalsFirstAsync(engine, gallery, queries, copies);

        // A mirror image describes exactly as the original does.
        var mirrored = Chain(queries[0], "mirror");
        var pair = await engine.EmbedAsync([File.ReadAllBytes(queries[0]), File.ReadAllBytes(mirrored)]);
        Assert.True(TensorPrimitives.Dot(pair[0], pair[1]) > 0.99f, $"mirror {TensorPrimitives.Dot(pair[0], pair[1])}");
    }

    public void Dispose() => work.Dispose();

    private static async Task AssertOriginalsFirstAsync(IEmbeddingEngine engine, IReadOnlyList<string> gallery, List<string> originals, List<string> copies)
    {
        var vectors = await engine.EmbedAsync(gallery.Select(f => (ReadOnlyMemory<byte>)File.ReadAllBytes(f)).ToList());
        var queryVectors = await engine.EmbedAsync(copies.Select(f => (ReadOnlyMemory<byte>)File.ReadAllBytes(f)).ToList());
        for (var q = 0; q < copies.Count; q++)
        {
            var ranked = Enumerable.Range(0, gallery.Count).OrderByDescending(i => TensorPrimitives.Dot(queryVectors[q], vectors[i])).ToList();
            Assert.True(gallery[ranked[0]] == originals[q], $"the copy of {Path.GetFileName(originals[q])} found {Path.GetFileName(gallery[ranked[0]])} first");
        }
    }

    private static ServiceProvider Provider(Func<IImageSocialBuilder, IImageSocialBuilder> engine)
    {
        var services = new ServiceCollection();
        engine(services.AddImageSocial().AddVipsImageCodec());
        return services.BuildServiceProvider();
    }

    /// <summary>The photo with each edit applied in turn.</summary>
    private string Chain(string photo, params string[] edits)
    {
        var current = photo;
        foreach (var edit in edits)
        {
            var next = work.File($"{Path.GetFileNameWithoutExtension(photo)}.{string.Join('.', edits)}.{edit}.jpg");
            RealPhotos.Edit(current, edit, next);
            current = next;
        }

        return current;
    }
}
