using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ImageSocial.Storage.Postgres;

/// <summary>What a shard move did.</summary>
/// <param name="Shard">The logical shard.</param>
/// <param name="From">The server it left.</param>
/// <param name="To">The server it is on now.</param>
/// <param name="MapVersion">The shard map's version after the flip.</param>
/// <param name="Tables">Per table: rows and checksum, equal on both servers when the map was flipped.</param>
/// <param name="WriteBlock">How long writes to the shard were refused (callers retry through it).</param>
/// <param name="Elapsed">The whole move.</param>
public sealed record ShardMoveReport(int Shard, string From, string To, long MapVersion, IReadOnlyList<TableCopy> Tables, TimeSpan WriteBlock, TimeSpan Elapsed);
