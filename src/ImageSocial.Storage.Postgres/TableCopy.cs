using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ImageSocial.Storage.Postgres;

/// <summary>One table of a moved shard.</summary>
/// <param name="Table">The table (<c>photo_index</c> and <c>follower_index</c> are the shard's slices of its server's indexes).</param>
/// <param name="Rows">The rows copied.</param>
/// <param name="Checksum">MD5 over the rows in key order, equal on both sides.</param>
public sealed record TableCopy(string Table, long Rows, string Checksum);
