using System.Buffers;
using System.Text;
using Ciba.Application.Common.Protocol;
using Ciba.Application.Common.Results;
using Microsoft.Net.Http.Headers;

namespace Ciba.Web.Protocol;

/// <summary>
/// The form parameters of a protocol request (RFC 6749 §3.2, CIBA Core §7.1), read defensively:
/// <c>application/x-www-form-urlencoded</c> only, a small body, strict UTF-8, no control
/// characters (NUL, CR, LF, DEL, C1) in any name or value (the credentials and the binding message
/// are refused by their own rules, with their own errors), and no parameter twice (RFC 6749 §3.1).
/// Anything else, including a body the server cannot read (a malformed chunk, a body shorter than
/// its Content-Length), is <c>invalid_request</c>, never an exception.
/// </summary>
public sealed class ProtocolForm
{
    public const int MaxBodyBytes = 16 * 1024;
    public const int MaxValueLength = 8 * 1024;

    /// <summary>
    /// Parameters whose own rule refuses control characters with a more specific error, still
    /// before any query: the client's credentials (<c>invalid_client</c>, RFC 6749 §5.2) and the
    /// binding message (<c>invalid_binding_message</c>, CIBA Core §13).
    /// </summary>
    private static readonly HashSet<string> OwnControlCharacterCheck = new(StringComparer.Ordinal) { "client_id", "client_secret", "binding_message" };

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly Dictionary<string, string> _values;

    private ProtocolForm(Dictionary<string, string> values) => _values = values;

    public string? this[string name] => _values.TryGetValue(name, out var value) ? value : null;

    /// <summary>The names of the parameters sent.</summary>
    public IEnumerable<string> Names => _values.Keys;

    public static async Task<(ProtocolForm? Form, Error? Error)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!IsFormContentType(request.ContentType))
        {
            return (null, Invalid("The request must be application/x-www-form-urlencoded in UTF-8."));
        }

        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, Invalid("The request body is too large."));
        }

        var buffer = ArrayPool<byte>.Shared.Rent(MaxBodyBytes + 1);
        try
        {
            var length = 0;
            try
            {
                int read;
                while (length <= MaxBodyBytes && (read = await request.Body.ReadAsync(buffer.AsMemory(length, MaxBodyBytes + 1 - length), cancellationToken)) > 0)
                {
                    length += read;
                }
            }
            catch (Exception exception) when (exception is BadHttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
            {
                // Kestrel: a malformed chunk (an overflowing chunk size is an IOException), a body
                // shorter than its Content-Length.
                return (null, Invalid("The request body could not be read."));
            }

            if (length > MaxBodyBytes)
            {
                return (null, Invalid("The request body is too large."));
            }

            return Parse(buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static (ProtocolForm? Form, Error? Error) Parse(ReadOnlySpan<byte> body)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var range in body.Split((byte)'&'))
        {
            var pair = body[range];
            if (pair.IsEmpty)
            {
                continue;
            }

            var equals = pair.IndexOf((byte)'=');
            var rawName = equals < 0 ? pair : pair[..equals];
            var rawValue = equals < 0 ? [] : pair[(equals + 1)..];
            if (!TryDecode(rawName, out var name) || !TryDecode(rawValue, out var value))
            {
                return (null, Invalid("The request body is not valid form-urlencoded UTF-8."));
            }

            if (value.Length > MaxValueLength)
            {
                return (null, Invalid("A parameter value is too long."));
            }

            if (ControlCharacters.Contains(name) || (!OwnControlCharacterCheck.Contains(name) && ControlCharacters.Contains(value)))
            {
                return (null, Invalid("A parameter contains a control character."));
            }

            if (!values.TryAdd(name, value))
            {
                return (null, Invalid("A parameter is repeated."));
            }
        }

        return (new ProtocolForm(values), null);
    }

    private static bool TryDecode(ReadOnlySpan<byte> encoded, out string decoded)
    {
        decoded = string.Empty;
        if (encoded.IsEmpty)
        {
            return true;
        }

        var bytes = ArrayPool<byte>.Shared.Rent(encoded.Length);
        try
        {
            var length = 0;
            for (var i = 0; i < encoded.Length; i++)
            {
                var b = encoded[i];
                if (b == '+')
                {
                    bytes[length++] = (byte)' ';
                }
                else if (b == '%')
                {
                    if (i + 2 >= encoded.Length || !IsHex(encoded[i + 1]) || !IsHex(encoded[i + 2]))
                    {
                        return false;
                    }

                    bytes[length++] = (byte)((HexValue(encoded[i + 1]) << 4) | HexValue(encoded[i + 2]));
                    i += 2;
                }
                else
                {
                    bytes[length++] = b;
                }
            }

            try
            {
                decoded = StrictUtf8.GetString(bytes, 0, length);
                return true;
            }
            catch (DecoderFallbackException)
            {
                return false;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private static bool IsFormContentType(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
            || !mediaType.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var charset = mediaType.Charset;
        return !charset.HasValue || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase);
    }

    private static bool IsHex(byte b) => char.IsAsciiHexDigit((char)b);

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;

    private static Error Invalid(string description) => new(OAuthErrorCodes.InvalidRequest, description);
}
