namespace ImageSocial.ConformanceTests;

[ConformanceSuite(typeof(IVectorIndex))]
public abstract class VectorIndexTests
{
    /// <summary>An empty index with the cosine metric.</summary>
    protected abstract IVectorIndex CreateIndex();

    /// <summary>Reopens the index made last by <see cref="CreateIndex"/>, as after a restart.</summary>
    protected abstract IVectorIndex Reopen();

    private static readonly UserId Alice = new(SnowflakeId.Compose(1, 1, 1));
    private static readonly UserId Bob = new(SnowflakeId.Compose(1, 2, 1));

    protected static VectorRecord Record(long id, float[] vector, UserId owner, Visibility visibility = Visibility.Public, bool ownerPrivate = false, params string[] tags) =>
        new(id, vector, new VectorPayload(owner, visibility, ownerPrivate, DateTimeOffset.UnixEpoch.AddDays(id), tags));

    [KitFact]
    public virtual async Task Top_k_is_ordered_best_first()
    {
        var index = CreateIndex();
        await index.UpsertAsync([Record(1, [1, 0, 0], Alice), Record(2, [0.9f, 0.1f, 0], Alice), Record(3, [0, 1, 0], Alice), Record(4, [-1, 0, 0], Alice)]);
        var result = await index.SearchAsync(new float[] { 1, 0, 0 }, 3, null);
        Assert.Equal([1L, 2L, 3L], result.Select(m => m.Id));
        Assert.True(result[0].Score >= result[1].Score && result[1].Score >= result[2].Score);
        Assert.Equal(4, await index.CountAsync());
    }

    [KitFact]
    public virtual async Task Filter_applies_the_visibility_rule()
    {
        var index = CreateIndex();
        await index.UpsertAsync([
            Record(1, [1, 0], Bob, Visibility.Public),
            Record(2, [1, 0], Bob, Visibility.Followers),
            Record(3, [1, 0], Bob, Visibility.Private),
            Record(4, [1, 0], Bob, Visibility.Public, ownerPrivate: true),
            Record(5, [1, 0], Alice, Visibility.Private),
        ]);
        async Task<long[]> Ids(VectorFilter filter) => (await index.SearchAsync(new float[] { 1, 0 }, 10, filter)).Select(m => m.Id).Order().ToArray();
        Assert.Equal(new long[] { 1, 5 }, await Ids(new VectorFilter { Viewer = Alice }));
        Assert.Equal(new long[] { 1, 2, 4, 5 }, await Ids(new VectorFilter { Viewer = Alice, ViewerFollows = new HashSet<UserId> { Bob } }));
        Assert.Equal(new long[] { 1, 2, 3, 4 }, await Ids(new VectorFilter { Viewer = Bob }));
        Assert.Equal(new long[] { 5 }, await Ids(new VectorFilter { Viewer = Alice, Owner = Alice }));
    }

    [KitFact]
    public virtual async Task Selective_filter_still_returns_k()
    {
        var index = CreateIndex();
        var records = Enumerable.Range(1, 500).Select(i => Record(i, [MathF.Cos(i), MathF.Sin(i), 1], i % 50 == 0 ? Alice : Bob, tags: i % 50 == 0 ? "rare" : "common")).ToList();
        await index.UpsertAsync(records);
        var result = await index.SearchAsync(new float[] { 1, 0, 1 }, 10, new VectorFilter { Tag = "rare" });
        Assert.Equal(10, result.Count);
        Assert.All(result, m => Assert.Equal(0, m.Id % 50));
    }

    [KitFact]
    public virtual async Task Delete_update_payload_and_survive_reopen()
    {
        var index = CreateIndex();
        await index.UpsertAsync([Record(1, [1, 0], Alice), Record(2, [0, 1], Alice)]);
        await index.DeleteAsync([1, 99]);
        Assert.True(await index.UpdatePayloadAsync(2, new VectorPayload(Alice, Visibility.Private, false, DateTimeOffset.UnixEpoch, [])));
        Assert.False(await index.UpdatePayloadAsync(1, new VectorPayload(Alice, Visibility.Private, false, DateTimeOffset.UnixEpoch, [])));
        (index as IDisposable)?.Dispose();
        var reopened = Reopen();
        Assert.Equal(1, await reopened.CountAsync());
        Assert.Null(await reopened.GetAsync(1));
        Assert.Equal(Visibility.Private, (await reopened.GetAsync(2))!.Payload.Visibility);
        Assert.Empty(await reopened.SearchAsync(new float[] { 0, 1 }, 5, new VectorFilter { Viewer = Bob }));
    }

    [KitFact]
    public virtual async Task Bad_vectors_are_rejected()
    {
        var index = CreateIndex();
        await index.UpsertAsync([Record(1, [1, 0], Alice)]);
        await Assert.ThrowsAsync<ValidationException>(() => index.UpsertAsync([Record(2, [1, 0, 0], Alice)]));
        await Assert.ThrowsAsync<ValidationException>(() => index.UpsertAsync([Record(3, [float.NaN, 0], Alice)]));
        Assert.Equal(1, await index.CountAsync());
    }
}
