using Ciba.Application.Common.Interfaces;
using MediatR;

namespace Ciba.Application.Tokens;

/// <summary>An organization's signing keys, as the console lists them and rotates them.</summary>
public interface ISigningKeyAdministration
{
    Task<IReadOnlyList<SigningKeyView>> ListAsync(Guid organizationId, CancellationToken cancellationToken);

    /// <summary>
    /// Adds a key that signs from <see cref="SigningKeyRotation.ActivatesAt"/> on (published at once)
    /// and retires the current one then. While a rotation is pending, returns it instead of adding another.
    /// </summary>
    Task<SigningKeyRotation> RotateAsync(Guid organizationId, CancellationToken cancellationToken);
}

public enum SigningKeyState
{
    /// <summary>Published; signs from its activation time on.</summary>
    Pending,

    /// <summary>Signs new tokens.</summary>
    Current,

    /// <summary>No longer signs; published until every token it signed has expired.</summary>
    Retired,

    /// <summary>Removed from the JWKS; kept only to recognise recently expired ID tokens used as hints.</summary>
    Unpublished,
}

public sealed record SigningKeyView(
    string KeyId,
    string Algorithm,
    SigningKeyState State,
    DateTimeOffset CreatedAt,
    DateTimeOffset ActivatesAt,
    DateTimeOffset? RetiredAt,
    DateTimeOffset? UnpublishedAt);

/// <summary>A rotation: <see cref="KeyId"/> is its RS256 key (or the first pending one); <see cref="KeyIds"/> the new key of each algorithm (ADR 0023).</summary>
public sealed record SigningKeyRotation(string KeyId, DateTimeOffset ActivatesAt, bool AlreadyPending)
{
    public IReadOnlyList<string> KeyIds { get; init; } = [KeyId];
}

public sealed record ListSigningKeysQuery(OrganizationSummary Organization) : IRequest<IReadOnlyList<SigningKeyView>>;

public sealed record RotateSigningKeyCommand(OrganizationSummary Organization) : IRequest<SigningKeyRotation>;

internal sealed class ListSigningKeysHandler(ISigningKeyAdministration keys) : IRequestHandler<ListSigningKeysQuery, IReadOnlyList<SigningKeyView>>
{
    public Task<IReadOnlyList<SigningKeyView>> Handle(ListSigningKeysQuery request, CancellationToken cancellationToken) =>
        keys.ListAsync(request.Organization.Id, cancellationToken);
}

internal sealed class RotateSigningKeyHandler(ISigningKeyAdministration keys) : IRequestHandler<RotateSigningKeyCommand, SigningKeyRotation>
{
    public Task<SigningKeyRotation> Handle(RotateSigningKeyCommand request, CancellationToken cancellationToken) =>
        keys.RotateAsync(request.Organization.Id, cancellationToken);
}
