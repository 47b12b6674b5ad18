using Ciba.Application.Clients.Keys;
using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Results;
using Ciba.Domain.Applications;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Application.Console.Applications.UpdateClientAuthentication;

/// <summary>
/// The Protocol tab's client authentication block (product.md §10): the token endpoint auth method,
/// the client's JWK Set and/or <c>jwks_uri</c>, and whether its requests must be signed.
/// </summary>
/// <param name="TokenEndpointAuthMethod">A name of <see cref="TokenEndpointAuthMethods"/>.</param>
public sealed record UpdateClientAuthenticationCommand(
    Guid OrganizationId,
    Guid ApplicationId,
    string? TokenEndpointAuthMethod,
    string? Jwks,
    string? JwksUri,
    bool RequireSignedRequests) : IRequest<Result>
{
    public bool NeedsKeys =>
        RequireSignedRequests || TokenEndpointAuthMethods.Parse(TokenEndpointAuthMethod) == Domain.Applications.TokenEndpointAuthMethod.PrivateKeyJwt;
}

/// <summary>The client's authentication as the console shows it.</summary>
public sealed record ClientAuthenticationDetails(Guid ApplicationId, string TokenEndpointAuthMethod, string? Jwks, string? JwksUri, bool RequireSignedRequests);

public sealed record GetClientAuthenticationQuery(Guid OrganizationId, Guid ApplicationId) : IRequest<Result<ClientAuthenticationDetails>>;

internal sealed class GetClientAuthenticationHandler(IApplicationDbContext db) : IRequestHandler<GetClientAuthenticationQuery, Result<ClientAuthenticationDetails>>
{
    public async Task<Result<ClientAuthenticationDetails>> Handle(GetClientAuthenticationQuery request, CancellationToken cancellationToken)
    {
        var application = await db.Applications.AsNoTracking()
            .SingleOrDefaultAsync(a => a.Id == request.ApplicationId && a.OrganizationId == request.OrganizationId, cancellationToken);
        return application is null
            ? Error.NotFound("The application")
            : new ClientAuthenticationDetails(
                application.Id, TokenEndpointAuthMethods.NameOf(application.TokenEndpointAuthMethod), application.Jwks, application.JwksUri, application.RequireSignedRequests);
    }
}

internal sealed class UpdateClientAuthenticationHandler(IApplicationDbContext db, TimeProvider time) : IRequestHandler<UpdateClientAuthenticationCommand, Result>
{
    public async Task<Result> Handle(UpdateClientAuthenticationCommand request, CancellationToken cancellationToken)
    {
        var application = await db.Applications
            .SingleOrDefaultAsync(a => a.Id == request.ApplicationId && a.OrganizationId == request.OrganizationId, cancellationToken);
        if (application is null)
        {
            return Error.NotFound("The application");
        }

        application.UpdateClientAuthentication(
            TokenEndpointAuthMethods.Parse(request.TokenEndpointAuthMethod)!.Value, request.Jwks, request.JwksUri, request.RequireSignedRequests, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return Result.Success;
    }
}

internal sealed class UpdateClientAuthenticationValidator : AbstractValidator<UpdateClientAuthenticationCommand>
{
    public UpdateClientAuthenticationValidator()
    {
        RuleFor(c => c.TokenEndpointAuthMethod)
            .Must(name => TokenEndpointAuthMethods.Parse(name) is not null)
            .WithMessage("Choose a token endpoint auth method from the list.");
        RuleFor(c => c.Jwks)
            .Must(jwks => jwks!.Trim().Length <= ClientApplication.MaxJwksLength)
            .When(c => !string.IsNullOrWhiteSpace(c.Jwks))
            .WithMessage($"The JWK Set is longer than {ClientApplication.MaxJwksLength / 1024} KB.")
            .DependentRules(() => RuleFor(c => c.Jwks)
                .Must(jwks => ClientJwks.Problem(jwks) is null)
                .When(c => !string.IsNullOrWhiteSpace(c.Jwks))
                .WithMessage(c => ClientJwks.Problem(c.Jwks)!));
        RuleFor(c => c.JwksUri)
            .Must(uri => uri!.Trim().Length <= ClientApplication.MaxJwksUriLength
                && Uri.TryCreate(uri.Trim(), UriKind.Absolute, out var parsed) && parsed.Scheme == Uri.UriSchemeHttps
                && string.IsNullOrEmpty(parsed.UserInfo) && string.IsNullOrEmpty(parsed.Fragment))
            .When(c => !string.IsNullOrWhiteSpace(c.JwksUri))
            .WithMessage("Enter the JWKS URL as an https:// address (no user name, no #fragment).");
        RuleFor(c => c.Jwks)
            .Must((c, _) => !string.IsNullOrWhiteSpace(c.Jwks) || !string.IsNullOrWhiteSpace(c.JwksUri))
            .When(c => c.NeedsKeys)
            .WithMessage("private_key_jwt and signed requests need the client's public keys: paste its JWK Set or enter its JWKS URL.");
    }
}
