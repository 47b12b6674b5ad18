using System.Security.Cryptography;

namespace Ciba.Domain.Protection;

/// <summary>
/// product.md §14 number matching: a short-code binding message (1 to 8 ASCII letters or digits)
/// is shown among two decoys of the same shape, and the person taps the one on their other device.
/// </summary>
public static class NumberMatch
{
    public const int MaxCodeLength = 8;
    private const string Digits = "0123456789";
    private const string Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string Lower = "abcdefghijklmnopqrstuvwxyz";

    public static bool IsShortCode(string? bindingMessage) =>
        bindingMessage is { Length: > 0 and <= MaxCodeLength } code && code.All(char.IsAsciiLetterOrDigit);

    /// <summary>Whether number matching governs a request: the application has it on and the binding message is a short code.</summary>
    public static bool Applies(bool applicationSetting, string? bindingMessage) => applicationSetting && IsShortCode(bindingMessage);

    /// <summary>The code and two decoys of the same shape (same length, same character class per position), all different, in random order.</summary>
    public static IReadOnlyList<string> Choices(string code)
    {
        if (!IsShortCode(code))
        {
            throw new ArgumentException("Number matching needs a short code.", nameof(code));
        }

        var choices = new List<string> { code };
        while (choices.Count < 3)
        {
            var decoy = Decoy(code);
            if (!choices.Contains(decoy, StringComparer.Ordinal))
            {
                choices.Add(decoy);
            }
        }

        RandomNumberGenerator.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(choices));
        return choices;
    }

    /// <summary>Whether the person picked the code itself (exact, ordinal).</summary>
    public static bool IsMatch(string code, string? chosen) =>
        chosen is not null && CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(code), System.Text.Encoding.UTF8.GetBytes(chosen));

    private static string Decoy(string code) => string.Create(code.Length, code, static (span, source) =>
    {
        for (var i = 0; i < span.Length; i++)
        {
            var alphabet = char.IsAsciiDigit(source[i]) ? Digits : char.IsAsciiLetterUpper(source[i]) ? Upper : Lower;
            span[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        }
    });
}
