namespace Ciba.Application.Notifications.Providers;

/// <summary>What the operator lets organizations choose for their providers (issue 9 items 4 and 8).</summary>
public interface IProviderEndpointPolicy
{
    /// <summary>The development inbox exists only in Development (and the test host).</summary>
    bool DevelopmentInboxAllowed { get; }

    /// <summary>Whether organizations may point SendGrid or Vonage at a base URL of their own (<c>Ciba:Notifications:AllowCustomProviderBaseUrls</c>).</summary>
    bool CustomBaseUrlsAllowed { get; }

    /// <summary>Why <paramref name="url"/> cannot be a provider base URL (e.g. plain http outside Development), or null when it can.</summary>
    string? RefusalFor(Uri url);
}
