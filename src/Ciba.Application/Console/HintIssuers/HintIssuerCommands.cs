using System.Text.Json;
using Ciba.Application.Clients.Keys;
using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Results;
using Ciba.Domain.Organizations;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Application.Console.HintIssuers;

/// <summary>The organization's trusted <c>login_hint_token</c> issuers (product.md §12), for the console.</summary>
public sealed record ListHintIssuersQuery(Guid OrganizationId) : IRequest<IReadOnlyList<HintIssuerSummary>>;

/// <param name="KeyIds">The <c>kid</c>s of its keys.</param>
public sealed record HintIssuerSummary(Guid Id, string Issuer, IReadOnlyList<string> KeyIds, DateTimeOffset UpdatedAt);

/// <summary>Trusts an issuer with its public keys, or replaces the keys of one already trusted. Audited as a console change.</summary>
public sealed record SaveHintIssuerCommand(Guid OrganizationId, string? Issuer, string? Jwks) : IRequest<Result>;

public sealed record DeleteHintIssuerCommand(Guid OrganizationId, Guid Id) : IRequest<Result>;

internal sealed class ListHintIssuersHandler(IApplicationDbContext db) : IRequestHandler<ListHintIssuersQuery, IReadOnlyList<HintIssuerSummary>>
{
    public async Task<IReadOnlyList<HintIssuerSummary>> Handle(ListHintIssuersQuery request, CancellationToken cancellationToken)
    {
        var issuers = await db.TrustedHintIssuers.AsNoTracking()
            .Where(i => i.OrganizationId == request.OrganizationId)
            .OrderBy(i => i.Issuer)
            .ToListAsync(cancellationToken);
        return [.. issuers.Select(i => new HintIssuerSummary(i.Id, i.Issuer, KeyIds(i.Jwks), i.UpdatedAt))];
    }

    private static List<string> KeyIds(string jwks)
    {
        using var document = JsonDocument.Parse(jwks);
        return [.. document.RootElement.GetProperty("keys").EnumerateArray()
            .Select(k => k.TryGetProperty("kid", out var kid) ? kid.GetString() ?? string.Empty : string.Empty)];
    }
}

internal sealed class SaveHintIssuerHandler(IApplicationDbContext db, TimeProvider time) : IRequestHandler<SaveHintIssuerCommand, Result>
{
    public async Task<Result> Handle(SaveHintIssuerCommand request, CancellationToken cancellationToken)
    {
        var issuer = request.Issuer?.Trim();
        var errors = new List<FieldError>();
        if (string.IsNullOrEmpty(issuer))
        {
            errors.Add(new FieldError("Issuer", "Enter the issuer (the iss of its tokens)"));
        }
        else if (issuer.Length > TrustedHintIssuer.MaxIssuerLength || issuer.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            errors.Add(new FieldError("Issuer", $"The issuer must be at most {TrustedHintIssuer.MaxIssuerLength} characters, without spaces"));
        }

        if (request.Jwks is { Length: > TrustedHintIssuer.MaxJwksLength })
        {
            errors.Add(new FieldError("Jwks", $"The JWK Set must be at most {TrustedHintIssuer.MaxJwksLength} characters"));
        }
        else if (ClientJwks.Problem(request.Jwks) is { } problem)
        {
            errors.Add(new FieldError("Jwks", problem));
        }

        if (errors.Count > 0)
        {
            return Error.Validation(errors);
        }

        var now = time.GetUtcNow();
        var existing = await db.TrustedHintIssuers
            .SingleOrDefaultAsync(i => i.OrganizationId == request.OrganizationId && i.Issuer == issuer, cancellationToken);
        if (existing is null)
        {
            db.TrustedHintIssuers.Add(TrustedHintIssuer.Create(request.OrganizationId, issuer!, request.Jwks!, now));
        }
        else
        {
            existing.Update(issuer!, request.Jwks!, now);
        }

        await db.SaveChangesAsync(cancellationToken);
        return Result.Success;
    }
}

internal sealed class DeleteHintIssuerHandler(IApplicationDbContext db) : IRequestHandler<DeleteHintIssuerCommand, Result>
{
    public async Task<Result> Handle(DeleteHintIssuerCommand request, CancellationToken cancellationToken)
    {
        var existing = await db.TrustedHintIssuers
            .SingleOrDefaultAsync(i => i.OrganizationId == request.OrganizationId && i.Id == request.Id, cancellationToken);
        if (existing is null)
        {
            return Error.NotFound("The hint issuer");
        }

        db.TrustedHintIssuers.Remove(existing);
        await db.SaveChangesAsync(cancellationToken);
        return Result.Success;
    }
}
