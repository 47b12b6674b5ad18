namespace Ciba.Infrastructure.Notifications.Senders;

/// <summary>
/// The GSM 03.38 default alphabet and its extension table. Text outside it must be sent as
/// Unicode (Vonage: <c>type=unicode</c>), or the carrier replaces the characters.
/// </summary>
internal static class Gsm7
{
    private const string Basic =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
        "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    private const string Extension = "\f^{}\\[~]|€";

    private static readonly HashSet<char> Alphabet = [.. Basic, .. Extension];

    public static bool CanEncode(string text) => text.All(Alphabet.Contains);
}
