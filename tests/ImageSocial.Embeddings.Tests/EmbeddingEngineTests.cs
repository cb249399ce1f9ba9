using System.Numerics.Tensors;
using ImageSocial.Imaging.Vips;

namespace ImageSocial.Embeddings.Tests;

public sealed class OnnxEmbeddingEngineTests(TestModels models) : IClassFixture<TestModels>
{
    private static readonly EmbeddingModel Conv = new() { Id = "test-conv-v1", Crop = ResizeMode.Stretch };
    private readonly VipsImageCodec codec = new();

    [Fact]
    public async Task Sizes_come_from_the_model_and_vectors_are_its_normalized_output()
    {
        using var session = OnnxSession.FromFile(models.Model("conv"));
        await using var engine = new OnnxEmbeddingEngine(codec, session, Conv);
        Assert.Equal(("test-conv-v1", 5), (engine.ModelId, engine.Dimension));
        var image = Image(3);
        var vector = (await engine.EmbedAsync([image]))[0];
        Assert.Equal(Reference(session, image), vector);
        Assert.Equal(1f, TensorPrimitives.Norm(vector), 4);
    }

    [Fact]
    public async Task Concurrent_callers_are_batched_and_each_gets_its_own_vector()
    {
        using var session = OnnxSession.FromFile(models.Model("conv"));
        await using var engine = new OnnxEmbeddingEngine(codec, session, Conv, new EmbeddingBatchOptions { MaxBatch = 8, MaxWait = TimeSpan.FromMilliseconds(20) });
        var images = Enumerable.Range(0, 40).Select(Image).ToArray();
        await AssertConcurrentCallersGetTheirOwnVectorsAsync(engine, session, images);

        Assert.InRange(engine.BatchesRun, 5, 40 - 1); // fewer runs than callers: they were coalesced (the first run is the probe)
    }

    [Fact]
    public async Task A_model_whose_batch_is_fixed_at_one_serves_sixteen_concurrent_callers()
    {
        using var session = OnnxSession.FromFile(models.Model("conv_fixed"));
        Assert.Equal(1, session.Inputs[0].Shape[0]);
        await using var engine = new OnnxEmbeddingEngine(codec, session, Conv, new EmbeddingBatchOptions { MaxBatch = 32, MaxWait = TimeSpan.FromMilliseconds(20) });
        var images = Enumerable.Range(0, 16).Select(Image).ToArray();
        await AssertConcurrentCallersGetTheirOwnVectorsAsync(engine, session, images);
    }

    [Fact]
    public async Task A_bad_image_fails_only_its_own_caller()
    {
        using var session = OnnxSession.FromFile(models.Model("conv"));
        await using var engine = OnnxEmbeddingEngine.FromModel(codec, session, "test-conv-v1");
        var good = engine.EmbedAsync([Image(1)]);
        await Assert.ThrowsAsync<UnsupportedImageFormatException>(() => engine.EmbedAsync(["not an image"u8.ToArray()]));
        Assert.Equal(5, (await good)[0].Length);
    }

    /// <summary>Starts one caller per image at the same moment; each must get the vector of its own image.</summary>
    private async Task AssertConcurrentCallersGetTheirOwnVectorsAsync(OnnxEmbeddingEngine engine, OnnxSession session, byte[][] images)
    {
        var start = new TaskCompletionSource();
        var calls = images.Select(image => Task.Run(async () =>
        {
            await start.Task;
            return (await engine.EmbedAsync([image]))[0];
        })).ToArray();
        start.SetResult();
        var vectors = await Task.WhenAll(calls);
        for (var i = 0; i < images.Length; i++)
        {
            Assert.Equal(Reference(session, images[i]), vectors[i]);
        }
    }

    private float[] Reference(OnnxSession session, byte[] image)
    {
        var input = new float[48];
        codec.GetModelInput(image, new ModelInputSpec(4, 4, ResizeMode.Stretch, ModelInputSpec.ImageNetMean, ModelInputSpec.ImageNetStd), input);
        var output = session.Run(input, [1, 3, 4, 4]).Values;
        TensorPrimitives.Divide(output, TensorPrimitives.Norm(output), output);
        return output;
    }

    private static byte[] Image(int seed) =>
        TestImages.Encode(32, 24, "png", (x, y) => ((byte)((x * (seed + 3) * 7) % 256), (byte)((y * (seed + 5) * 11) % 256), (byte)(seed * 53 % 256)));
}

public sealed class DescriptorEmbeddingEngineTests
{
    private readonly DescriptorEmbeddingEngine engine = new(new VipsImageCodec());

    [Fact]
    public async Task A_resized_reencoded_copy_is_nearer_than_a_different_picture()
    {
        var original = Scene(0);
        var copy = TestImages.Encode(160, 120, "jpeg", (x, y) => Pixel(0, x * 2, y * 2)); // half size, JPEG
        var sameColoursOtherEdges = Scene(1);
        var other = Scene(2);
        var v = await engine.EmbedAsync([original, copy, sameColoursOtherEdges, other]);
        Assert.Equal(320, engine.Dimension);
        Assert.All(v, x => Assert.Equal(1f, TensorPrimitives.Norm(x), 4));
        var toCopy = TensorPrimitives.Dot(v[0], v[1]);
        Assert.True(toCopy > 0.95f, $"copy {toCopy}");
        Assert.True(toCopy > TensorPrimitives.Dot(v[0], v[2]) && toCopy > TensorPrimitives.Dot(v[0], v[3]));
        Assert.True(TensorPrimitives.Dot(v[0], v[2]) > TensorPrimitives.Dot(v[0], v[3]), "shared colours should count for something");
        Assert.Equal(v[0], (await engine.EmbedAsync([original]))[0]);
    }

    /// <summary>Kind 0: vertical stripes in warm colours; 1: the same colours in horizontal stripes; 2: a cold gradient.</summary>
    private static byte[] Scene(int kind) => TestImages.Encode(320, 240, "png", (x, y) => Pixel(kind, x, y));

    private static (byte R, byte G, byte B) Pixel(int kind, int x, int y) => kind switch
    {
        0 => (x / 40 % 2 == 0) ? ((byte)220, (byte)80, (byte)40) : ((byte)250, (byte)200, (byte)60),
        1 => (y / 40 % 2 == 0) ? ((byte)220, (byte)80, (byte)40) : ((byte)250, (byte)200, (byte)60),
        _ => ((byte)(x / 4), (byte)(100 + (y / 3)), (byte)230),
    };
}
