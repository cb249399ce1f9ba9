using System.Security.Cryptography;
using System.Text;
using ImageSocial.ConformanceTests;
using Microsoft.Extensions.Options;

namespace ImageSocial.Storage.Local.Tests;

/// <summary>The blob store contract with every blob encrypted at rest.</summary>
public sealed class EncryptedLocalBlobStoreConformanceTests : BlobStoreTests, IDisposable
{
    private readonly TemporaryDirectory folder = new();

    protected override IBlobStore CreateStore() => LocalBlobEncryptionTests.Store(folder.Path, "k1", ("k1", LocalBlobEncryptionTests.Key(1)));

    public void Dispose() => folder.Dispose();
}

public sealed class LocalBlobEncryptionTests : IDisposable
{
    private readonly TemporaryDirectory folder = new();

    internal static string Key(int seed) => Convert.ToBase64String(SHA256.HashData([(byte)seed]));

    internal static LocalBlobStore Store(string root, string? current, params (string Id, string Key)[] keys)
    {
        var options = new LocalBlobStoreOptions { RootPath = root };
        options.Encryption.CurrentKeyId = current;
        foreach (var (id, key) in keys)
        {
            options.Encryption.Keys[id] = key;
        }

        return new LocalBlobStore(Options.Create(options));
    }

    /// <summary>Content over several chunks, with a marker that must not appear on disk.</summary>
    private static byte[] Content(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        Encoding.ASCII.GetBytes("PLAINTEXT-MARKER").CopyTo(bytes, 100);
        return bytes;
    }

    private static async Task<byte[]> ReadAsync(IBlobStore store, string key)
    {
        using var blob = (await store.GetAsync(key))!;
        using var copy = new MemoryStream();
        await blob.Content.CopyToAsync(copy);
        Assert.Equal(blob.Length, copy.Length);
        return copy.ToArray();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(65536)]
    [InlineData(65537)]
    [InlineData(300_000)]
    public async Task Blobs_round_trip_and_nothing_of_the_plaintext_is_on_disk(int length)
    {
        var store = Store(folder.Path, "k1", ("k1", Key(1)));
        var content = Content(Math.Max(length, 200))[..length];
        await store.PutAsync("u/p/original", content, "image/jpeg");
        await store.PutAsync("u/p/streamed", new MemoryStream(content), "image/jpeg");
        Assert.Equal(content, await ReadAsync(store, "u/p/original"));
        Assert.Equal(content, await ReadAsync(store, "u/p/streamed"));
        var onDisk = await File.ReadAllBytesAsync(Path.Combine(folder.Path, "u", "p", "original"));
        Assert.Equal(length + 16 * Math.Max(1, (length + 65535) / 65536) + 18, onDisk.Length); // header 8 + 7 + 1 + "k1", a tag per chunk
        if (length > 200)
        {
            Assert.Equal(-1, onDisk.AsSpan().IndexOf("PLAINTEXT-MARKER"u8));
        }
    }

    [Fact]
    public async Task Any_range_reads_the_same_bytes_as_the_plaintext()
    {
        var store = Store(folder.Path, "k1", ("k1", Key(1)));
        var content = Content(200_000);
        await store.PutAsync("u/p/video", content, "video/mp4");
        using var blob = (await store.GetAsync("u/p/video"))!;
        Assert.True(blob.Content.CanSeek);
        var random = new Random(7);
        for (var i = 0; i < 50; i++)
        {
            var start = random.Next(content.Length);
            var count = Math.Min(random.Next(1, 150_000), content.Length - start);
            blob.Content.Position = start;
            var read = new byte[count];
            await blob.Content.ReadExactlyAsync(read);
            Assert.Equal(content.AsSpan(start, count).ToArray(), read);
        }
    }

    [Fact]
    public async Task A_flipped_byte_a_cut_at_a_chunk_boundary_and_a_blob_moved_to_another_key_are_refused()
    {
        var store = Store(folder.Path, "k1", ("k1", Key(1)));
        var content = Content(150_000);
        foreach (var key in new[] { "u/p/flip", "u/p/cut", "u/p/moved", "u/p/other" })
        {
            await store.PutAsync(key, content, "image/jpeg");
        }

        string Disk(string key) => Path.Combine(folder.Path, key.Replace('/', Path.DirectorySeparatorChar));
        var flipped = await File.ReadAllBytesAsync(Disk("u/p/flip"));
        flipped[70_000] ^= 1;
        await File.WriteAllBytesAsync(Disk("u/p/flip"), flipped);
        var whole = await File.ReadAllBytesAsync(Disk("u/p/cut"));
        await File.WriteAllBytesAsync(Disk("u/p/cut"), whole[..(18 + (2 * (65536 + 16)))]); // two whole chunks, the last one gone
        File.Copy(Disk("u/p/other"), Disk("u/p/moved"), overwrite: true);
        File.Copy(Disk("u/p/flip"), Disk("u/p/other"), overwrite: true);

        foreach (var key in new[] { "u/p/flip", "u/p/cut", "u/p/moved" })
        {
            await Assert.ThrowsAsync<InvalidDataException>(() => ReadAsync(store, key));
        }
    }

    [Fact]
    public async Task Keys_rotate_old_blobs_stay_readable_and_reencryption_moves_every_blob_to_the_current_key()
    {
        var plain = Store(folder.Path, null);
        await plain.PutAsync("u/p/plain", Content(1000), "image/jpeg"); // written before encryption was turned on
        var first = Store(folder.Path, "k1", ("k1", Key(1)));
        await first.PutAsync("u/p/old", Content(70_000), "image/jpeg");

        var rotated = Store(folder.Path, "k2", ("k1", Key(1)), ("k2", Key(2)));
        await rotated.PutAsync("u/p/new", Content(500), "image/jpeg");
        Assert.Equal(Content(1000), await ReadAsync(rotated, "u/p/plain"));
        Assert.Equal(Content(70_000), await ReadAsync(rotated, "u/p/old"));
        var seen = new List<int>();
        Assert.Equal(2, await rotated.ReencryptAsync(new Progress(seen)));
        Assert.Equal(3, seen[^1]);
        Assert.Equal(0, await rotated.ReencryptAsync());

        // The old key can go: a store that only holds the new one reads everything.
        var only = Store(folder.Path, "k2", ("k2", Key(2)));
        Assert.Equal(Content(1000), await ReadAsync(only, "u/p/plain"));
        Assert.Equal(Content(70_000), await ReadAsync(only, "u/p/old"));
        Assert.Equal(Content(500), await ReadAsync(only, "u/p/new"));
        Assert.Equal(-1, (await File.ReadAllBytesAsync(Path.Combine(folder.Path, "u", "p", "plain"))).AsSpan().IndexOf("PLAINTEXT-MARKER"u8));

        // Without the key a blob is refused with the key's name, never returned as ciphertext.
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => ReadAsync(first, "u/p/new"));
        Assert.Contains("'k2'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("k1", "not base64")]
    [InlineData("k1", "AAAA")]
    [InlineData("bad id!", null)]
    [InlineData("missing", null)]
    public void A_key_ring_that_cannot_work_is_refused_at_start(string current, string? key)
    {
        var options = new LocalBlobStoreOptions { RootPath = folder.Path };
        options.Encryption.CurrentKeyId = current;
        options.Encryption.Keys[current == "missing" ? "k1" : current] = key ?? Key(1);
        var result = new LocalBlobEncryptionValidator().Validate(null, options);
        Assert.True(result.Failed);
        Assert.DoesNotContain(Key(1), result.FailureMessage, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new LocalBlobStore(Options.Create(options)));
    }

    public void Dispose() => folder.Dispose();

    private sealed class Progress(List<int> seen) : IProgress<int>
    {
        public void Report(int value) => seen.Add(value);
    }
}
