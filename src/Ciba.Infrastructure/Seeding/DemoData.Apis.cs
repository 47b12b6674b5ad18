namespace Ciba.Infrastructure.Seeding;

/// <summary>The demo organization's API (README.md): access tokens for it name its identifier as <c>aud</c>.</summary>
public static class DemoApis
{
    public const string PhotosName = "Demo Photos";
    public const string PhotosIdentifier = "https://photos.demo.test";
    public const string PhotosRead = "photos.read";
    public const string PhotosWrite = "photos.write";

    public static IReadOnlyList<(string Value, string Description)> PhotosScopes { get; } =
    [
        (PhotosRead, "See your photos and albums"),
        (PhotosWrite, "Add, change and delete your photos"),
    ];
}
