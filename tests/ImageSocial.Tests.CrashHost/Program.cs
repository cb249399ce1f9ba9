// Crash-test child processes, killed by the tests at a moment of their choosing.
//   DATA COUNT: uploads photos with the job runner off, acknowledges each on stdout, then waits to be killed
//               between the metadata commits and the end of the follow-up jobs.
//   vectors LOG THRESHOLD: upserts vectors into the embedded index forever (crossing the graph threshold, taking snapshots),
//               acknowledging each after UpsertAsync returns.
//   orphan DATA [S3URL BUCKET]: uploads one photo (ACK), then a second that kills the process (SIGKILL) after its blobs are written and
//               before its metadata commits (DYING id), on local disk or, with S3URL and BUCKET, on that S3 server.
using ImageSocial;
using ImageSocial.Imaging.Vips.Tests;
using ImageSocial.Vectors.Embedded;
using Microsoft.Extensions.DependencyInjection;

if (args[0] == "vectors")
{
    var index = new EmbeddedVectorIndex(Microsoft.Extensions.Options.Options.Create(new EmbeddedVectorIndexOptions
    {
        LogPath = args[1],
        Metric = VectorMetric.L2,
        SnapshotLogBytes = 1 << 16,
        Hnsw = { ExactScanThreshold = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) },
    }));
    for (var id = 1L; ; id++)
    {
        await index.UpsertAsync([CrashVectors.Record(id)]);
        Console.WriteLine($"ACK {id}");
    }
}

if (args[0] == "orphan")
{
    var services = new ServiceCollection();
    var builder = services.AddImageSocial(o => o.Jobs.Enabled = false);
    if (args.Length > 3)
    {
        builder.AddS3BlobStore(o => (o.ServiceUrl, o.Bucket, o.AccessKey, o.SecretKey, o.ForcePathStyle) = (args[2], args[3], "S3RVER", "S3RVER", true));
    }

    builder.AddEmbeddedDefaults(args[1]);
    KillOnCreate.Install(services);
    await using var sdkProvider = services.BuildServiceProvider();
    var sdk = sdkProvider.GetRequiredService<ImageSocialService>();
    var owner = await sdk.CreateUserAsync("orphaner", "Orphans");
    Console.WriteLine($"USER {owner.Id}");
    var kept = await sdk.For(owner.Id).UploadPhotoAsync(TestImages.Encode(200, 150), new PhotoDraft("kept"));
    Console.WriteLine($"ACK {kept.Id}");
    await sdk.For(owner.Id).UploadPhotoAsync(TestImages.Encode(200, 150), new PhotoDraft(KillOnCreate.Title));
    Console.WriteLine("NOT KILLED");
    return;
}

var data = args[0];
var count = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
using var provider = new ServiceCollection().AddImageSocial(o => o.Jobs.Enabled = false).AddEmbeddedDefaults(data).Services.BuildServiceProvider();
var service = provider.GetRequiredService<ImageSocialService>();
var user = await service.CreateUserAsync("crasher", "Crash Test");
Console.WriteLine($"USER {user.Id}");
for (var i = 0; i < count; i++)
{
    var shade = (byte)(i * 40);
    var image = TestImages.Encode(320, 240, "jpeg", (x, y) => ((byte)(x + shade), (byte)(y * i), shade));
    var photo = await service.For(user.Id).UploadPhotoAsync(image, new PhotoDraft($"crash {i}", ["crash"]));
    Console.WriteLine($"ACK {photo.Id}");
}

Console.WriteLine("DONE");
await Task.Delay(Timeout.Infinite);

