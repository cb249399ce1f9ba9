namespace ImageSocial.ConformanceTests;

[ConformanceSuite(typeof(IShardMap))]
public abstract class ShardMapTests
{
    /// <summary>A map of <paramref name="shards"/> logical shards over the named servers.</summary>
    protected abstract IShardMap CreateMap(int shards, params string[] servers);

    [Fact]
    public virtual void Every_shard_has_a_server_and_new_users_land_in_range()
    {
        var map = CreateMap(64, "a", "b");
        Assert.All(Enumerable.Range(0, 64), s => Assert.Contains(map.GetServer(s), new[] { "a", "b" }));
        Assert.All(Enumerable.Range(0, 200), _ => Assert.InRange(map.PickShardForNewUser(), 0, 63));
        Assert.Throws<ArgumentOutOfRangeException>(() => map.GetServer(64));
    }

    [Fact]
    public virtual void Assign_moves_a_shard_and_bumps_the_version()
    {
        var map = CreateMap(8, "a", "b");
        var version = map.Version;
        var target = map.GetServer(3) == "a" ? "b" : "a";
        Assert.Equal(version + 1, map.Assign(3, target, version));
        Assert.Equal(target, map.GetServer(3));
        Assert.Throws<ConflictException>(() => map.Assign(3, "a", version));
        Assert.Throws<ValidationException>(() => map.Assign(3, "nowhere", map.Version));
    }
}
