namespace Ciba.Web.Tests.Hostile;

/// <summary>What a hostile value is expected to meet at the edge.</summary>
public enum PayloadKind
{
    /// <summary>A control character (NUL, C0, DEL, C1): refused at the edge with the field's own error.</summary>
    Control,

    /// <summary>Bytes that are not UTF-8, or a broken percent escape: refused by the protocol form reader.</summary>
    NotUtf8,

    /// <summary>Larger than the protocol form reader accepts.</summary>
    Oversized,

    /// <summary>Well-formed but hostile text: answered by the ordinary rules, never a 5xx.</summary>
    Odd,
}

/// <summary>The hostile values, by name (names keep NUL and friends out of test names), percent-encoded as they go on the wire.</summary>
public static class HostilePayloads
{
    public static readonly IReadOnlyDictionary<string, (string Encoded, PayloadKind Kind)> All = new Dictionary<string, (string, PayloadKind)>
    {
        ["nul"] = ("%00", PayloadKind.Control),
        ["nul-inside"] = ("ab%00cd", PayloadKind.Control),
        ["soh"] = ("%01", PayloadKind.Control),
        ["crlf"] = ("a%0D%0Ab", PayloadKind.Control),
        ["tab"] = ("a%09b", PayloadKind.Control),
        ["ansi-escape"] = ("%1B%5B31m", PayloadKind.Control),
        ["del"] = ("%7F", PayloadKind.Control),
        ["c1-nel"] = ("%C2%85", PayloadKind.Control),
        ["utf8-ff"] = ("%FF%FE", PayloadKind.NotUtf8),
        ["utf8-truncated"] = ("abc%C3", PayloadKind.NotUtf8),
        ["utf8-overlong"] = ("%C0%AF", PayloadKind.NotUtf8),
        ["utf8-surrogate"] = ("%ED%A0%80", PayloadKind.NotUtf8),
        ["utf8-bad-continuation"] = ("%C3%28", PayloadKind.NotUtf8),
        ["broken-escape"] = ("%G1%", PayloadKind.NotUtf8),
        ["oversized-9k"] = (new string('a', 9000), PayloadKind.Oversized),
        ["oversized-20k"] = (new string('b', 20_000), PayloadKind.Oversized),
        ["overflow-number"] = ("99999999999999999999", PayloadKind.Odd),
        ["negative-number"] = ("-1", PayloadKind.Odd),
        ["rtl-override"] = ("%E2%80%AEevil", PayloadKind.Odd),
        ["script"] = ("%3Cscript%3Ealert(1)%3C%2Fscript%3E", PayloadKind.Odd),
        ["sql"] = ("%27%20OR%201%3D1--", PayloadKind.Odd),
        ["path-traversal"] = ("..%2F..%2Fetc%2Fpasswd", PayloadKind.Odd),
        ["jwt-none"] = ("eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.", PayloadKind.Odd),
        ["jwt-garbage"] = ("a.b.c", PayloadKind.Odd),
        ["emoji"] = ("%F0%9F%98%80", PayloadKind.Odd),
        ["empty"] = (string.Empty, PayloadKind.Odd),
        ["repeated"] = (string.Empty, PayloadKind.Odd),
    };

    /// <summary>A smaller set for the console and phone pages, whose requests cost more.</summary>
    public static readonly string[] ForPages = ["nul", "soh", "del", "c1-nel", "utf8-ff", "oversized-20k", "overflow-number", "script"];

    /// <summary>Strings that must never appear in an answer: exception text, stack frames, secrets.</summary>
    public static readonly string[] Leaks =
    [
        "Exception", "Npgsql", " at Ciba.", " at Microsoft.", " at System.", "StackTrace", "demo-tv-secret", "Admin-Passw0rd!", "<script>alert(1)",
    ];
}
