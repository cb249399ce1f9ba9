// A job host for the two-process test: one SDK host on a shared PostgreSQL outbox and a shared Redis job queue, killed by the test at a
// moment of its choosing.
//   PGCONN REDIS PREFIX NAME LOG DATA: runs the job runner as NAME; every job's start and end go to LOG as
//   "START|STOP subject utc-ticks", flushed line by line, so the test can check that no message ran on two hosts at once.
using System.Diagnostics;
using ImageSocial;
using ImageSocial.Redis.Tests.JobHost;
using ImageSocial.Storage.Postgres;
using Microsoft.Extensions.DependencyInjection;

var (connection, redis, prefix, name, log, data) = (args[0], args[1], args[2], args[3], args[4], args[5]);
using var writer = new StreamWriter(log, append: true) { AutoFlush = true };
var gate = new Lock();
void Write(string line)
{
    lock (gate)
    {
        writer.WriteLine(line);
    }
}

using var listener = new ActivityListener
{
    ShouldListenTo = s => s.Name == "ImageSocial",
    Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
    ActivityStarted = a =>
    {
        if (a.OperationName.StartsWith("OutboxJob ", StringComparison.Ordinal))
        {
            Write($"START {a.GetTagItem("imagesocial.subject.id")} {DateTime.UtcNow.Ticks}");
        }
    },
    ActivityStopped = a =>
    {
        if (a.OperationName.StartsWith("OutboxJob ", StringComparison.Ordinal))
        {
            Write($"STOP {a.GetTagItem("imagesocial.subject.id")} {DateTime.UtcNow.Ticks} {a.Status}");
        }
    },
};
ActivitySource.AddActivityListener(listener);

var services = new ServiceCollection();
services.AddImageSocial(o =>
{
    o.Jobs.Name = name;
    o.Jobs.Lease = TimeSpan.FromSeconds(3);
    o.Jobs.Concurrency = 2;
    o.Jobs.BatchSize = 4;
    o.Jobs.PollInterval = TimeSpan.FromMilliseconds(200);
})
    .AddEmbeddedDefaults(data)
    .AddPostgresMetadata(o =>
    {
        o.LogicalShardCount = 8;
        o.Servers.Add(new PostgresServerOptions { Name = "a", ConnectionString = connection });
    })
    .AddRedisJobs(o => (o.Configuration, o.KeyPrefix, o.JobClaimIdle) = (redis, prefix, TimeSpan.FromSeconds(2)));
SlowDeletes.Install(services);
await using var provider = services.BuildServiceProvider();
var runner = provider.GetRequiredService<ImageSocialService>().Jobs;
await runner.StartAsync(CancellationToken.None);
Console.WriteLine("READY");
await Task.Delay(Timeout.Infinite);
