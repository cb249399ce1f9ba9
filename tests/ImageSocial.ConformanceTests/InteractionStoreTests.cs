namespace ImageSocial.ConformanceTests;

[ConformanceSuite(typeof(IInteractionStore))]
public abstract class InteractionStoreTests : MetadataSuite
{
    [Fact]
    public virtual async Task Likes_are_idempotent_and_counted()
    {
        var owner = await Stores.UserAsync("lk");
        var fan = await Stores.UserAsync("lkfan");
        var photo = await Stores.PhotoAsync(owner);
        Assert.True(await Stores.Interactions.LikeAsync(photo.Id, fan.Id));
        Assert.False(await Stores.Interactions.LikeAsync(photo.Id, fan.Id));
        Assert.True(await Stores.Interactions.HasLikedAsync(photo.Id, fan.Id));
        Assert.Equal(1, (await Stores.Photos.GetAsync(photo.Id))!.LikeCount);
        Assert.True(await Stores.Interactions.UnlikeAsync(photo.Id, fan.Id));
        Assert.False(await Stores.Interactions.UnlikeAsync(photo.Id, fan.Id));
        Assert.Equal(0, (await Stores.Photos.GetAsync(photo.Id))!.LikeCount);
    }

    [Fact]
    public virtual async Task Comments_page_oldest_first_and_count()
    {
        var owner = await Stores.UserAsync("cm");
        var photo = await Stores.PhotoAsync(owner);
        var comments = new List<Comment>();
        for (var i = 0; i < 4; i++)
        {
            var comment = new Comment(new CommentId(MetadataStores.NewId(photo.Id.LogicalShard)), photo.Id, owner.Id, $"c{i} <script>");
            await Stores.Interactions.AddCommentAsync(comment);
            comments.Add(comment);
        }

        var first = await Stores.Interactions.GetCommentsAsync(photo.Id, new PageRequest(null, 3));
        var rest = await Stores.Interactions.GetCommentsAsync(photo.Id, new PageRequest(first.NextCursor, 3));
        Assert.Equal(comments.OrderBy(c => c.Id.Value), first.Items.Concat(rest.Items));
        Assert.Equal(4, (await Stores.Photos.GetAsync(photo.Id))!.CommentCount);
    }

    [Fact]
    public virtual async Task Interactions_on_a_deleted_photo_are_not_found()
    {
        var owner = await Stores.UserAsync("dl");
        var photo = await Stores.PhotoAsync(owner);
        await Stores.Photos.SoftDeleteAsync(photo.Id, DateTimeOffset.UtcNow, []);
        await Assert.ThrowsAsync<NotFoundException>(() => Stores.Interactions.LikeAsync(photo.Id, owner.Id));
        await Assert.ThrowsAsync<NotFoundException>(() => Stores.Interactions.AddCommentAsync(new Comment(new CommentId(MetadataStores.NewId()), photo.Id, owner.Id, "x")));
    }

    [Fact]
    public virtual async Task A_comment_is_hidden_with_a_reason_and_shown_again()
    {
        var owner = await Stores.UserAsync("chowner");
        var photo = await Stores.PhotoAsync(owner);
        var comment = new Comment(new CommentId(MetadataStores.NewId(photo.Id.LogicalShard)), photo.Id, owner.Id, "rude");
        await Stores.Interactions.AddCommentAsync(comment);
        Assert.Null((await Stores.Interactions.GetCommentAsync(comment.Id))!.HiddenReason);
        Assert.True(await Stores.Interactions.SetCommentHiddenAsync(comment.Id, "abuse"));
        Assert.Equal("abuse", (await Stores.Interactions.GetCommentAsync(comment.Id))!.HiddenReason);
        Assert.Equal("abuse", (await Stores.Interactions.GetCommentsAsync(photo.Id, new PageRequest())).Items.Single().HiddenReason);
        Assert.True(await Stores.Interactions.SetCommentHiddenAsync(comment.Id, null));
        Assert.Null((await Stores.Interactions.GetCommentAsync(comment.Id))!.HiddenReason);
        Assert.False(await Stores.Interactions.SetCommentHiddenAsync(new CommentId(MetadataStores.NewId(photo.Id.LogicalShard)), "none"));
        Assert.Null(await Stores.Interactions.GetCommentAsync(new CommentId(MetadataStores.NewId(photo.Id.LogicalShard))));
    }
}
