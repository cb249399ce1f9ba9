namespace ImageSocial.ConformanceTests;

[ConformanceSuite(typeof(IUserStore))]
public abstract class UserStoreTests : MetadataSuite
{
    [Fact]
    public virtual async Task A_role_round_trips_and_only_an_existing_user_gets_one()
    {
        var user = await Stores.UserAsync("roled");
        Assert.Equal(UserRole.Member, (await Stores.Users.GetAsync(user.Id))!.Role);

        Assert.True(await Stores.Users.SetRoleAsync(user.Id, UserRole.Moderator));
        Assert.False(await Stores.Users.SetRoleAsync(new UserId(MetadataStores.NewId()), UserRole.Admin));

        Assert.Equal(UserRole.Moderator, (await Stores.Users.GetAsync(user.Id))!.Role);
        Assert.Equal(UserRole.Moderator, (await Stores.Users.GetByHandleAsync("roled"))!.Role);
        Assert.Equal(UserRole.Moderator, (await Stores.Users.GetManyAsync([user.Id]))[user.Id].Role);
    }

    [Fact]
    public virtual async Task Create_then_get_by_id_and_handle()
    {
        var user = await Stores.UserAsync("alice", isPrivate: true);
        Assert.Equal(user, await Stores.Users.GetAsync(user.Id));
        Assert.Equal(user, await Stores.Users.GetByHandleAsync("ALICE"));
    }

    [Fact]
    public virtual async Task Handle_is_unique_ignoring_case()
    {
        await Stores.UserAsync("bob");
        await Assert.ThrowsAsync<ConflictException>(() => Stores.UserAsync("BOB"));
    }

    [Fact]
    public virtual async Task Get_many_returns_known_users_only()
    {
        var a = await Stores.UserAsync("a_1");
        var b = await Stores.UserAsync("b_1");
        var found = await Stores.Users.GetManyAsync([a.Id, b.Id, new UserId(MetadataStores.NewId())]);
        Assert.Equal(2, found.Count);
        Assert.Equal(b, found[b.Id]);
    }

    [Fact]
    public virtual async Task Update_of_unknown_user_is_not_found()
    {
        await Assert.ThrowsAsync<NotFoundException>(() => Stores.Users.UpdateAsync(new User(new UserId(MetadataStores.NewId()), "ghost", "G", false)));
    }

    [Fact]
    public virtual async Task Hostile_strings_are_stored_verbatim()
    {
        var user = new User(new UserId(MetadataStores.NewId()), "robert", "Robert'); DROP TABLE users;--", false);
        await Stores.Users.CreateAsync(user);
        Assert.Equal(user.DisplayName, (await Stores.Users.GetAsync(user.Id))!.DisplayName);
    }

    [Fact]
    public virtual async Task Password_hash_is_stored_with_the_account_and_replaceable()
    {
        var user = new User(new UserId(MetadataStores.NewId()), "hashed", "H", false);
        await Stores.Users.CreateAsync(user, "v1$hash");
        var plain = await Stores.UserAsync("no_password");
        Assert.Equal("v1$hash", await Stores.Users.GetPasswordHashAsync(user.Id));
        Assert.Null(await Stores.Users.GetPasswordHashAsync(plain.Id));
        Assert.Null(await Stores.Users.GetPasswordHashAsync(new UserId(MetadataStores.NewId())));

        await Stores.Users.SetPasswordHashAsync(user.Id, "v2$hash");
        Assert.Equal("v2$hash", await Stores.Users.GetPasswordHashAsync(user.Id));
        Assert.Equal(user, await Stores.Users.GetAsync(user.Id));
        await Assert.ThrowsAsync<NotFoundException>(() => Stores.Users.SetPasswordHashAsync(new UserId(MetadataStores.NewId()), "x"));
    }

    [Fact]
    public virtual async Task A_suspended_owners_photos_are_visible_to_nobody_until_reinstated()
    {
        var owner = await Stores.UserAsync("suspect");
        var viewer = await Stores.UserAsync("sviewer");
        await Stores.Graph.FollowAsync(viewer.Id, owner.Id, false);
        var before = await Stores.PhotoAsync(owner, "before", Visibility.Public, "susp");
        Assert.True(await Stores.Users.SetSuspendedAsync(owner.Id, true));
        Assert.False(await Stores.Users.SetSuspendedAsync(new UserId(MetadataStores.NewId()), true));
        var during = await Stores.PhotoAsync(owner, "during", Visibility.Followers, "susp"); // a write racing the suspension
        Assert.True((await Stores.Users.GetAsync(owner.Id))!.IsSuspended);
        Assert.True((await Stores.Users.GetManyAsync([owner.Id]))[owner.Id].IsSuspended);

        foreach (var photo in new[] { before, during })
        {
            Assert.Empty(await Stores.Photos.GetVisibleAsync([photo.Id], viewer.Id));
            Assert.DoesNotContain((await Stores.Photos.ListByOwnerAsync(owner.Id, viewer.Id, new PageRequest())).Items, p => p.Id == photo.Id);
            Assert.DoesNotContain(await Stores.Photos.ListNewestByOwnersAsync([owner.Id], viewer.Id, null, 10), p => p.Id == photo.Id);
            Assert.DoesNotContain((await Stores.Photos.SearchAsync(new PhotoSearch(null, "susp"), viewer.Id, new PageRequest())).Items, p => p.Id == photo.Id);
        }

        Assert.True(await Stores.Users.SetSuspendedAsync(owner.Id, false));
        Assert.False((await Stores.Users.GetAsync(owner.Id))!.IsSuspended);
        Assert.Equal(2, (await Stores.Photos.GetVisibleAsync([before.Id, during.Id], viewer.Id)).Count);
        Assert.Equal(2, (await Stores.Photos.SearchAsync(new PhotoSearch(null, "susp"), viewer.Id, new PageRequest())).Items.Count);
    }
}
