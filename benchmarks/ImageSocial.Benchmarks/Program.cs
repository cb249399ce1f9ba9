// Benchmark CLIs, each measured side by side with its peer (see the README's Results).
//   thumbs --images DIR [--count N] [--json OUT]
//   thumbs-peers [--images DIR] [--concurrency 2] [--json OUT]
//   ann    --base B.fbin --query Q.fbin --truth T.ibin [--k 10] [--metric l2] [--m 16] [--ef-construction 200]
//          [--ef-search 16,32,64] [--threads 1] [--build-threads N] [--rerank 3] [--json OUT]
//   ann    --generate N D --out DIR [--queries 1000] [--clusters 64]
//   embed  --model M.onnx --images DIR --batch 32 [--seconds 10] [--json OUT]
//   embed-fixed --model M.onnx --dynamic D.onnx --images DIR [--callers 16] [--seconds 10] [--json OUT]
//   load   [--clients 32] [--seconds 60] [--users 200] [--photos 300] [--url URL] [--redis] [--setting K=V] [--json OUT]
//   s3     [--small-rounds 200] [--large-rounds 12] [--json OUT]
//   sync   [--uploads 200] [--photos 1000] [--json OUT]
//   redis  [--photos 1000] [--users 100] [--clients 8] [--seconds 5] [--jobs 300] [--json OUT]
//   quality [--engines descriptor,resnet18] [--edits DIR] [--json OUT]
//   feed   --users N --mean-following F --photos P [--store sqlite|postgres|redis] [--viewers 2000] [--posts 200] [--data DIR] --json OUT
//   video  [--clips DIR] [--rounds 3] [--json OUT]
//   backup [--photos 100000] [--rounds 2] [--dir DIR] [--json OUT]
//   blob-crypto [--small-rounds 300] [--large-rounds 15] [--json OUT]
//   metadata [--photos 1000000] [--users 10000] [--shards 4096] [--clients 4] [--seconds 10] [--data DIR] [--only postgresql|sqlite] [--json OUT]
using ImageSocial.Benchmarks;

var options = Arguments.Parse(args.Skip(1));
switch (args.FirstOrDefault())
{
    case "thumbs":
        return await Thumbs.RunAsync(options.ToDictionary(o => o.Key, o => o.Value.FirstOrDefault() ?? ""));
    case "thumbs-peers":
        return await ThumbsPeers.RunAsync(options);
    case "ann":
        return await Ann.RunAsync(options);
    case "embed":
        return await Embed.RunAsync(options);
    case "embed-fixed":
        return await EmbedFixedBatch.RunAsync(options);
    case "metadata":
        return await Metadata.RunAsync(options);
    case "load":
        return await Load.RunAsync(options);
    case "s3":
        return await S3Bench.RunAsync(options);
    case "redis":
        return await RedisBench.RunAsync(options);
    case "quality":
        return await Quality.RunAsync(options);
    case "feed":
        return await FeedBench.RunAsync(options);
    case "sync":
        return await SyncBench.RunAsync(options);
    case "video":
        return await VideoBench.RunAsync(options);
    case "backup":
        return await BackupBench.RunAsync(options);
    case "blob-crypto":
        return await BlobCryptoBench.RunAsync(options);
    default:
        Console.Error.WriteLine("usage: thumbs --images DIR [--count N] [--json OUT] | ann --base B.fbin --query Q.fbin --truth T.ibin ... | ann --generate N D --out DIR");
        return 2;
}
