using System.Text.Json.Serialization;

namespace ImageSocial;

/// <summary>The manifest's JSON, source-generated (no reflection, safe to trim): camelCase, indented.</summary>
[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(BackupManifest))]
internal sealed partial class BackupJson : JsonSerializerContext;
