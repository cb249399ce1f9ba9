using System.Globalization;

namespace ImageSocial.Testing.Servers;

/// <summary>Real photographs from Debian packages (fetched once per machine by <c>tools/real-photos.sh</c>, never committed), and the
/// common edits a copy of a photo goes through, made with libvips' command-line tool (<c>vips</c>, Debian's libvips-tools).</summary>
public static class RealPhotos
{
    /// <summary>The edits, by name: resize to half, recompress at quality 30, crop to the central 80 %, rotate 8°, mirror, a 15 %
    /// white border, greyscale, brighter by 40 levels.</summary>
    public static IReadOnlyList<string> Edits { get; } = ["resize", "recompress", "crop", "rotate", "mirror", "border", "grey", "brightness"];

    private static readonly Lazy<string> FolderPath = new(() => MachineTools.FolderFrom("IMAGESOCIAL_REAL_PHOTOS", "real-photos.sh"));

    /// <summary>The folder <c>tools/real-photos.sh</c> fills (it runs on first use; <c>$IMAGESOCIAL_REAL_PHOTOS</c> names another).</summary>
    public static string Folder => FolderPath.Value;

    /// <summary>The single photos.</summary>
    public static IReadOnlyList<string> Photos => [.. Directory.GetFiles(Path.Combine(Folder, "photos")).Order(StringComparer.Ordinal)];

    /// <summary>Same-scene pairs (two shots of one scene).</summary>
    public static IReadOnlyList<(string Name, string A, string B)> Pairs =>
        [.. Directory.GetFiles(Path.Combine(Folder, "pairs"), "*.a.*").Order(StringComparer.Ordinal).Select(a =>
        {
            var name = Path.GetFileName(a).Split('.')[0];
            return (name, a, Directory.GetFiles(Path.Combine(Folder, "pairs"), name + ".b.*").Single());
        })];

    /// <summary>Writes <paramref name="source"/> with <paramref name="edit"/> applied to <paramref name="destination"/> (a .jpg).</summary>
    public static void Edit(string source, string edit, string destination)
    {
        var (width, height) = (Header(source, "width"), Header(source, "height"));
        var jpeg = destination + "[Q=85]";
        string[] args = edit switch
        {
            "resize" => ["resize", source, jpeg, "0.5"],
            "recompress" => ["copy", source, destination + "[Q=30]"],
            "crop" => ["crop", source, jpeg, I(width / 10), I(height / 10), I(width * 8 / 10), I(height * 8 / 10)],
            "rotate" => ["rotate", source, jpeg, "8"],
            "mirror" => ["flip", source, jpeg, "horizontal"],
            "border" => ["embed", source, jpeg, I(width * 15 / 100), I(height * 15 / 100), I(width * 130 / 100), I(height * 130 / 100),
                "--extend", "background", "--background", "255"],
            "grey" => ["colourspace", source, jpeg, "b-w"],
            "brightness" => ["linear", source, jpeg, "1", "40", "--uchar"],
            _ => throw new ArgumentOutOfRangeException(nameof(edit), edit, "not one of RealPhotos.Edits"),
        };
        MachineTools.Run("vips", args);
    }

    private static int Header(string file, string field) => int.Parse(MachineTools.Run("vipsheader", ["-f", field, file]).Trim(), CultureInfo.InvariantCulture);

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
}
