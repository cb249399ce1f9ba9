using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using ImageSocial.Imaging.Vips.Tests;

namespace ImageSocial.Tests;

/// <summary>Listens as an application would, with <see cref="ActivityListener"/> and <see cref="MeterListener"/>, to an upload, a feed
/// and a similar search, and checks that every package on the path reports.</summary>
/// <remarks>Sources and meters are process-wide, so this runs alone (its own collection, not in parallel) to count exactly.</remarks>
[Collection(Name)]
public sealed class TelemetryTests : IDisposable
{
    public const string Name = "telemetry";

    private readonly TestHost host = new();
    private readonly ConcurrentBag<(string Source, string Name, ActivityStatusCode Status)> spans = [];
    private readonly ConcurrentDictionary<string, int> measurements = new();

    [Fact]
    public async Task Upload_feed_and_similar_search_report_spans_and_instruments_from_every_package_on_the_path()
    {
        using var activities = new ActivityListener
        {
            ShouldListenTo = s => s.Name.StartsWith("ImageSocial", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => spans.Add((a.Source.Name, a.OperationName, a.Status)),
        };
        ActivitySource.AddActivityListener(activities);
        using var meters = new MeterListener();
        meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name.StartsWith("ImageSocial", StringComparison.Ordinal))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        meters.SetMeasurementEventCallback<double>((i, _, _, _) => measurements.AddOrUpdate(i.Name, 1, (_, n) => n + 1));
        meters.SetMeasurementEventCallback<long>((i, _, _, _) => measurements.AddOrUpdate(i.Name, 1, (_, n) => n + 1));
        meters.SetMeasurementEventCallback<int>((i, _, _, _) => measurements.AddOrUpdate(i.Name, 1, (_, n) => n + 1));
        meters.Start();

        var sdk = host.Service;
        var author = await sdk.CreateUserAsync("author", "Author");
        var reader = await sdk.CreateUserAsync("reader", "Reader");
        await sdk.For(reader.Id).FollowAsync(author.Id);
        var first = await sdk.For(author.Id).UploadPhotoAsync(Image(1), new PhotoDraft("one"));
        await sdk.For(author.Id).UploadPhotoAsync(Image(2), new PhotoDraft("two"));
        await host.Jobs.RunDueAsync();
        Assert.Equal(2, (await sdk.For(reader.Id).GetFeedAsync()).Items.Count);
        Assert.NotEmpty(await sdk.For(reader.Id).FindSimilarAsync(first.Id));
        await Assert.ThrowsAsync<NotFoundException>(() => sdk.For(reader.Id).GetPhotoAsync(new PhotoId(12345)));
        meters.RecordObservableInstruments();

        foreach (var (source, name) in new[]
        {
            ("ImageSocial", "UploadPhoto"), ("ImageSocial", "GetFeed"), ("ImageSocial", "FindSimilar"), ("ImageSocial", "OutboxJob " + OutboxKinds.PhotoCreated),
            ("ImageSocial.Imaging.Vips", "CreateRenditions"), ("ImageSocial.Storage.Local", "Put"), ("ImageSocial.Storage.Sqlite", "CreatePhoto"),
            ("ImageSocial.Embeddings", "EmbedBatch"), ("ImageSocial.Vectors.Embedded", "VectorSearch"), ("ImageSocial.Vectors.Embedded", "VectorUpsert"),
        })
        {
            Assert.Contains(spans, s => s.Source == source && s.Name == name);
        }

        Assert.Contains(spans, s => s.Name == "GetPhoto" && s.Status == ActivityStatusCode.Error);
        foreach (var instrument in new[]
        {
            "imagesocial.upload.duration", "imagesocial.upload.size", "imagesocial.operation.duration", "imagesocial.codec.renditions", "imagesocial.embedding.batch.size",
            "imagesocial.embedding.batch.duration", "imagesocial.vector.search.duration", "imagesocial.vector.search.results", "imagesocial.similar.results",
            "imagesocial.outbox.job.duration", "db.client.operation.duration", "imagesocial.blob.operation.duration",
        })
        {
            Assert.True(measurements.ContainsKey(instrument), $"{instrument} was not measured");
        }

        Assert.Equal(6, measurements["imagesocial.codec.renditions"]); // thumb, feed and large of two photos
    }

    private static byte[] Image(int seed) => TestImages.Encode(96, 64, "jpeg", (x, y) => ((byte)(x * (seed + 2)), (byte)(y * (seed + 3)), (byte)(seed * 50)));

    public void Dispose() => host.Dispose();
}

[CollectionDefinition(TelemetryTests.Name, DisableParallelization = true)]
public sealed class TelemetryCollection;
