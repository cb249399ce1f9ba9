using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using ImageSocial.Shared.Telemetry;
using Qdrant.Client.Grpc;

namespace ImageSocial.Vectors.Qdrant;

public sealed partial class QdrantVectorIndex
{
    /// <summary>The companion collection that keeps readers' positions (<see cref="IVectorIndexCheckpoint"/>) on the same server.</summary>
    private string CheckpointCollection => Collection + "__checkpoints";

    /// <inheritdoc />
    public Task<string?> GetCheckpointAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return RunAsync("GetCheckpoint", async () =>
        {
            if (!await client.CollectionExistsAsync(CheckpointCollection, cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            var points = await client.RetrieveAsync(CheckpointCollection, [CheckpointId(name)], true, false, cancellationToken: cancellationToken).ConfigureAwait(false);
            return points.Count == 0 ? null : points[0].Payload["position"].StringValue;
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Every write of this index waits for the server to apply it, so any write made before this call is already there.</remarks>
    public Task SetCheckpointAsync(string name, string position, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(position);
        return RunAsync("SetCheckpoint", async () =>
        {
            if (!await client.CollectionExistsAsync(CheckpointCollection, cancellationToken).ConfigureAwait(false))
            {
                await CreateAsync(new CreateCollection
                {
                    CollectionName = CheckpointCollection,
                    VectorsConfig = new VectorsConfig { Params = new VectorParams { Size = 1, Distance = global::Qdrant.Client.Grpc.Distance.Dot } },
                }, cancellationToken).ConfigureAwait(false);
            }

            var point = new PointStruct { Id = CheckpointId(name), Vectors = new[] { 1f } };
            point.Payload.Add("name", name);
            point.Payload.Add("position", position);
            await client.UpsertAsync(CheckpointCollection, [point], wait: true, cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <summary>A stable point id per checkpoint name (Qdrant ids are numbers or UUIDs).</summary>
    private static PointId CheckpointId(string name) => new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(name)).AsSpan(0, 16));

    /// <summary>Drops the collection and its checkpoints (tests, and a deployment that leaves Qdrant).</summary>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests.</param>
    public Task DropAsync(CancellationToken cancellationToken = default) =>
        RunAsync("Drop", async () =>
        {
            foreach (var name in new[] { Collection, CheckpointCollection })
            {
                if (await client.CollectionExistsAsync(name, cancellationToken).ConfigureAwait(false))
                {
                    await client.DeleteCollectionAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false);
                }
            }

            remote.Forget();
            return true;
        }, cancellationToken);

    /// <summary>The collection's dimension as the server has it, or <see langword="null"/> when it does not exist.</summary>
    private async Task<int?> DescribeAsync(CancellationToken cancellationToken)
    {
        if (!await client.CollectionExistsAsync(Collection, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var info = await client.GetCollectionInfoAsync(Collection, cancellationToken).ConfigureAwait(false);
        return (int)info.Config.Params.VectorsConfig.Params.Size;
    }

    /// <summary>Creates the collection of the first batch's size and its payload indexes.</summary>
    private async Task CreateCollectionAsync(int size, CancellationToken cancellationToken)
    {
        await CreateAsync(CollectionRequest(options, Collection, size), cancellationToken).ConfigureAwait(false);
        foreach (var (field, type) in QdrantPayloads.Indexes)
        {
            await client.CreatePayloadIndexAsync(Collection, field, type, wait: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Creates a collection; another host that created it first is not an error.</summary>
    private async Task CreateAsync(CreateCollection request, CancellationToken cancellationToken)
    {
        try
        {
            await client.CreateCollectionAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.AlreadyExists || ex.Status.Detail.Contains("already exists", StringComparison.OrdinalIgnoreCase))
        {
        }
    }

    /// <summary>Runs one call in a client span; the caller's cancellation stays a cancellation, a gRPC failure becomes a
    /// <see cref="QdrantVectorIndexException"/>.</summary>
    private async Task<T> RunAsync<T>(string operation, Func<Task<T>> body, CancellationToken cancellationToken)
    {
        using var activity = Source.StartActivity(operation, ActivityKind.Client);
        activity?.SetTag("db.system.name", ProviderName);
        activity?.SetTag("db.collection.name", Collection);
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (RpcException ex) when (ex.StatusCode != StatusCode.Cancelled || !cancellationToken.IsCancellationRequested)
        {
            var error = new QdrantVectorIndexException($"Qdrant {operation} on '{Collection}' failed: {ex.Status.StatusCode} {ex.Status.Detail}", ex)
            {
                ProviderName = ProviderName,
                OperationName = operation,
            };
            activity.Fail(error);
            throw error;
        }
        catch (RpcException ex)
        {
            throw new OperationCanceledException("The Qdrant call was cancelled.", ex, cancellationToken);
        }
        catch (Exception ex)
        {
            activity.Fail(ex);
            throw;
        }
    }
}
