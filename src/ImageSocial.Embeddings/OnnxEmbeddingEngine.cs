using System.Numerics.Tensors;
using System.Threading.Channels;

namespace ImageSocial.Embeddings;

/// <summary>Embeds images with an ONNX model. Concurrent callers are coalesced into batches of fixed shapes (powers of two up to
/// <see cref="EmbeddingBatchOptions.MaxBatch"/>, padded), and decoding plus preprocessing of one batch runs while the previous one
/// is in inference.</summary>
public sealed partial class OnnxEmbeddingEngine : IEmbeddingEngine, IAsyncDisposable, IDisposable
{
    private readonly IImageCodec codec;
    private readonly OnnxSession session;
    private readonly EmbeddingModel model;
    private readonly EmbeddingBatchOptions batching;
    private readonly int maxBatch;
    private readonly ModelInputSpec spec;
    private readonly string inputName;
    private readonly string outputName;
    private readonly Channel<Request> requests = Channel.CreateUnbounded<Request>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<Batch> prepared;
    private readonly int concurrentRuns;
    private readonly Task pipeline;
    private readonly bool ownsSession;
    private int batchesRun;

    /// <summary>Creates the engine over a loaded model.</summary>
    /// <param name="codec">Decodes and resizes the images.</param>
    /// <param name="session">The model (the engine does not dispose it).</param>
    /// <param name="model">How to feed it; see <see cref="FromModel"/> for a model described by itself.</param>
    /// <param name="batching">Batch size and wait.</param>
    /// <param name="ownsSession">Whether disposing the engine disposes <paramref name="session"/> too.</param>
    public OnnxEmbeddingEngine(IImageCodec codec, OnnxSession session, EmbeddingModel model, EmbeddingBatchOptions? batching = null, bool ownsSession = false)
    {
        this.ownsSession = ownsSession;
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(model.Id, nameof(model));
        (this.codec, this.session, this.model) = (codec, session, model);
        this.batching = batching ?? new EmbeddingBatchOptions();
        var input = model.InputName is { } name ? session.Inputs.FirstOrDefault(i => i.Name == name) : session.Inputs.Count == 1 ? session.Inputs[0] : null;
        if (input is not { ElementType: 1, Shape.Count: 4 })
        {
            throw new OnnxRuntimeException("The model needs one float32 image input of rank 4 ([N,3,H,W] or [N,H,W,3]); name it in EmbeddingModel.InputName.");
        }

        inputName = input.Name;
        // A model whose batch dimension is fixed (ResNet-18's ONNX export says 1) only takes batches of that size: coalescing more
        // callers into one run would fail every one of them.
        maxBatch = input.Shape[0] > 0 ? (int)Math.Min(input.Shape[0], this.batching.MaxBatch) : this.batching.MaxBatch;
        concurrentRuns = Math.Max(1, this.batching.ConcurrentRuns ?? (maxBatch == 1 ? Environment.ProcessorCount : 1));
        prepared = Channel.CreateBounded<Batch>(new BoundedChannelOptions(concurrentRuns) { SingleReader = concurrentRuns == 1, SingleWriter = true });
        outputName = model.OutputName ?? session.Outputs[0].Name;
        var declared = model.Layout == TensorLayout.Nchw ? input.Shape[2] : input.Shape[1];
        var size = model.Size ?? (declared > 0 ? (int)declared : 224);
        spec = new ModelInputSpec(size, size, model.Crop, [.. model.Mean], [.. model.Std], model.Bgr);
        Dimension = Infer(new float[spec.Length])[0].Length; // one probe run reads the output width
        pipeline = Task.WhenAll(Task.Run(CollectAsync), Task.Run(InferAsync));
    }

    /// <inheritdoc />
    public string ModelId => model.Id;

    /// <inheritdoc />
    public int Dimension { get; }

    /// <summary>How many batches have been run (for tests of the coalescing).</summary>
    internal int BatchesRun => Volatile.Read(ref batchesRun);

    /// <summary>An engine for a model that describes itself: one float32 input [N,3,H,W], its first output, ImageNet mean/std.</summary>
    public static OnnxEmbeddingEngine FromModel(IImageCodec codec, OnnxSession session, string id, EmbeddingBatchOptions? batching = null) =>
        new(codec, session, new EmbeddingModel { Id = id }, batching);

    /// <inheritdoc />
    public async Task<float[][]> EmbedAsync(IReadOnlyList<ReadOnlyMemory<byte>> images, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        var pending = new Task<float[]>[images.Count];
        for (var i = 0; i < images.Count; i++)
        {
            var request = new Request(images[i], new TaskCompletionSource<float[]>(TaskCreationOptions.RunContinuationsAsynchronously), cancellationToken);
            await requests.Writer.WriteAsync(request, cancellationToken).ConfigureAwait(false);
            pending[i] = request.Done.Task;
        }

        return await Task.WhenAll(pending).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops taking requests and finishes the ones queued.</summary>
    public async ValueTask DisposeAsync()
    {
        requests.Writer.TryComplete();
        await pipeline.ConfigureAwait(false);
        if (ownsSession)
        {
            session.Dispose();
        }
    }

    /// <summary>Stops taking requests and waits for the ones queued (for a synchronous <c>using</c> of the service provider).</summary>
    public void Dispose()
    {
        requests.Writer.TryComplete();
        try
        {
            pipeline.Wait();
        }
        catch (AggregateException)
        {
            // Each request's caller got its own error.
        }

        if (ownsSession)
        {
            session.Dispose();
        }
    }

    /// <summary>Stage 1: gathers up to MaxBatch requests (waiting MaxWait after the first), decodes and preprocesses them in parallel.</summary>
    private async Task CollectAsync()
    {
        var reader = requests.Reader;
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                var batch = new List<Request>(maxBatch);
                using (var wait = new CancellationTokenSource(batching.MaxWait))
                {
                    while (batch.Count < maxBatch)
                    {
                        if (reader.TryRead(out var request))
                        {
                            batch.Add(request);
                            continue;
                        }

                        if (batch.Count > 0 && (wait.IsCancellationRequested || !await WaitAsync(reader, wait.Token).ConfigureAwait(false)))
                        {
                            break;
                        }
                    }
                }

                await prepared.Writer.WriteAsync(Prepare(batch)).ConfigureAwait(false);
            }
        }
        finally
        {
            prepared.Writer.TryComplete();
        }
    }

    private static async Task<bool> WaitAsync(ChannelReader<Request> reader, CancellationToken token)
    {
        try
        {
            return await reader.WaitToReadAsync(token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private Batch Prepare(List<Request> requests)
    {
        var pixels = new float[Bucket(requests.Count) * spec.Length];
        var ok = new bool[requests.Count];
        Parallel.For(0, requests.Count, i =>
        {
            var request = requests[i];
            try
            {
                request.Cancellation.ThrowIfCancellationRequested();
                codec.GetModelInput(request.Image, spec, pixels.AsSpan(i * spec.Length, spec.Length));
                ok[i] = true;
            }
            catch (Exception ex)
            {
                request.Done.TrySetException(ex);
            }
        });
        return new Batch(requests, ok, pixels);
    }

    /// <summary>Stage 2: runs each prepared batch (up to <see cref="EmbeddingBatchOptions.ConcurrentRuns"/> at once) and hands every caller
    /// its own row.</summary>
    private Task InferAsync() => Parallel.ForEachAsync(prepared.Reader.ReadAllAsync(), new ParallelOptions { MaxDegreeOfParallelism = concurrentRuns },
        (batch, _) =>
        {
            Run(batch);
            return ValueTask.CompletedTask;
        });

    private void Run(Batch batch)
    {
        try
        {
            var rows = EmbeddingTelemetry.Batch(batch.Requests.Count, batch.Pixels.Length / spec.Length, () => Infer(batch.Pixels));
            Interlocked.Increment(ref batchesRun);
            for (var i = 0; i < batch.Requests.Count; i++)
            {
                if (batch.Ok[i])
                {
                    batch.Requests[i].Done.TrySetResult(rows[i]);
                }
            }
        }
        catch (Exception ex)
        {
            foreach (var request in batch.Requests)
            {
                request.Done.TrySetException(ex);
            }
        }
    }

    /// <summary>Runs one padded batch (CHW planes per image) and returns one vector per image slot.</summary>
    private float[][] Infer(float[] pixels)
    {
        var count = pixels.Length / spec.Length;
        var input = model.Layout == TensorLayout.Nchw ? pixels : ToNhwc(pixels, count);
        long[] shape = model.Layout == TensorLayout.Nchw ? [count, 3, spec.Height, spec.Width] : [count, spec.Height, spec.Width, 3];
        var (values, outShape) = session.Run(input, shape, inputName, outputName);
        var width = values.Length / count;
        var dimension = outShape.Length >= 4 ? (int)outShape[1] : width;
        var rows = new float[count][];
        for (var n = 0; n < count; n++)
        {
            var row = values.AsSpan(n * width, width);
            var vector = dimension == width ? row.ToArray() : Pool(row, dimension);
            if (model.Normalize)
            {
                var norm = TensorPrimitives.Norm(vector);
                if (norm > 0)
                {
                    TensorPrimitives.Divide(vector, norm, vector);
                }
            }

            rows[n] = vector;
        }

        return rows;
    }

    private float[] Pool(ReadOnlySpan<float> map, int channels)
    {
        var area = map.Length / channels;
        var vector = new float[channels];
        for (var c = 0; c < channels; c++)
        {
            var plane = map.Slice(c * area, area);
            vector[c] = model.Pooling == Pooling.Max ? TensorPrimitives.Max(plane) : TensorPrimitives.Sum(plane) / area;
        }

        return vector;
    }

    private float[] ToNhwc(float[] planes, int count)
    {
        var area = spec.Width * spec.Height;
        var result = new float[planes.Length];
        for (var n = 0; n < count; n++)
        {
            for (var c = 0; c < 3; c++)
            {
                for (var p = 0; p < area; p++)
                {
                    result[(n * spec.Length) + (p * 3) + c] = planes[(n * spec.Length) + (c * area) + p];
                }
            }
        }

        return result;
    }

    /// <summary>The smallest power of two holding <paramref name="count"/>, so the runtime sees few distinct shapes.</summary>
    private int Bucket(int count)
    {
        var bucket = 1;
        while (bucket < count)
        {
            bucket *= 2;
        }

        return Math.Min(bucket, Math.Max(count, maxBatch));
    }

    private sealed record Request(ReadOnlyMemory<byte> Image, TaskCompletionSource<float[]> Done, CancellationToken Cancellation);

    private sealed record Batch(List<Request> Requests, bool[] Ok, float[] Pixels);
}
