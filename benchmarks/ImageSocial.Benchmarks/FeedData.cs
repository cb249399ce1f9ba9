namespace ImageSocial.Benchmarks;

/// <summary>A generated social graph with a power-law shape, the same for a given size (seeded): followee popularity is Zipf-like
/// (exponent 0.8, so the first accounts have hundreds of thousands of followers at a million users), how many accounts a user follows
/// is log-normal around the mean, and how often a user posts is log-normal too. Photos are spread over the year before the run.</summary>
internal sealed class FeedData
{
    private const double PopularityExponent = 0.8;
    private const int MaxFollowing = 10_000;

    public FeedData(int users, double meanFollowing, int photos, int shards = 4096)
    {
        var random = new Random(42);
        // A fixed reference time, so that the same arguments give the same ids in every run (the loaded database is reused).
        var now = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        UserIds = new long[users];
        for (var i = 0; i < users; i++)
        {
            // Accounts created over the two years before the photos; the shard bits spread users like the id generator does.
            UserIds[i] = SnowflakeId.Compose((long)(now.AddDays(-730) - SnowflakeId.Epoch).TotalMilliseconds + i, i % shards, 0);
        }

        // Popularity by rank: account i (a random permutation, so popularity does not follow the id order) has weight 1/(rank+1)^0.8.
        var rankOf = Enumerable.Range(0, users).OrderBy(_ => random.Next()).ToArray();
        var cumulative = new double[users];
        var total = 0.0;
        for (var i = 0; i < users; i++)
        {
            total += Math.Pow(rankOf[i] + 1, -PopularityExponent);
            cumulative[i] = total;
        }

        // Out-degree log-normal (sigma 1.2) with the requested mean; follow targets by popularity, no self-follows, no duplicates.
        const double sigma = 1.2;
        var mu = Math.Log(meanFollowing) - sigma * sigma / 2;
        Following = new int[users][];
        var set = new HashSet<int>();
        long edges = 0;
        for (var u = 0; u < users; u++)
        {
            var count = (int)Math.Min(Math.Min(MaxFollowing, users - 1), Math.Round(Math.Exp(mu + sigma * Gaussian(random))));
            set.Clear();
            for (var attempts = 0; set.Count < count && attempts < count * 4; attempts++)
            {
                var target = Array.BinarySearch(cumulative, random.NextDouble() * total);
                target = target < 0 ? ~target : target;
                if (target != u && target < users)
                {
                    set.Add(target);
                }
            }

            Following[u] = [.. set.Order()];
            edges += Following[u].Length;
        }

        EdgeCount = edges;
        FollowerCounts = new int[users];
        foreach (var list in Following)
        {
            foreach (var f in list)
            {
                FollowerCounts[f]++;
            }
        }

        // Posting activity log-normal (sigma 1.5); photo times uniform over the last 365 days.
        var activity = new double[users];
        var activityTotal = 0.0;
        for (var u = 0; u < users; u++)
        {
            activityTotal += Math.Exp(1.5 * Gaussian(random));
            activity[u] = activityTotal;
        }

        Activity = activity;
        var start = (long)(now.AddDays(-365) - SnowflakeId.Epoch).TotalMilliseconds;
        var span = (long)TimeSpan.FromDays(365).TotalMilliseconds;
        Photos = new (long Id, int Owner, int Visibility)[photos];
        for (var i = 0; i < photos; i++)
        {
            var owner = PickAuthor(random);
            var visibility = random.Next(100) switch { < 90 => 0, < 98 => 1, _ => 2 };
            Photos[i] = (SnowflakeId.Compose(start + random.NextInt64(span), SnowflakeId.GetLogicalShard(UserIds[owner]), i & SnowflakeId.MaxSequence), owner, visibility);
        }

        Array.Sort(Photos, (a, b) => a.Id.CompareTo(b.Id));
        Start = start;
    }

    public long[] UserIds { get; }

    public int[][] Following { get; }

    public int[] FollowerCounts { get; }

    public long EdgeCount { get; }

    public double[] Activity { get; }

    /// <summary>Photos sorted by id: owner index and visibility (0 public, 1 followers, 2 private).</summary>
    public (long Id, int Owner, int Visibility)[] Photos { get; }

    public long Start { get; }

    /// <summary>An author picked by posting activity (prolific users post more).</summary>
    public int PickAuthor(Random random)
    {
        var at = Array.BinarySearch(Activity, random.NextDouble() * Activity[^1]);
        return Math.Min(at < 0 ? ~at : at, Activity.Length - 1);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
