namespace Ciba.Domain.Backchannel;

/// <summary>The APIs a request's access token is for (product.md §13, RFC 8707).</summary>
public sealed partial class BackchannelAuthenticationRequest
{
    public const int MaxAudienceLength = 2000;

    /// <summary>Space-separated API identifiers the access token names as <c>aud</c>; null for the userinfo endpoint alone.</summary>
    public string? Audience { get; private set; }

    public void SetAudience(IReadOnlyCollection<string> audiences)
    {
        ArgumentNullException.ThrowIfNull(audiences);
        var joined = audiences.Count == 0 ? null : string.Join(' ', audiences);
        if (joined?.Length > MaxAudienceLength)
        {
            throw new ArgumentOutOfRangeException(nameof(audiences));
        }

        Audience = joined;
    }
}
