using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Results;
using Ciba.Application.Console.Applications.UpdateProtocol;
using Ciba.Domain.Applications;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Application.Console.Applications.Tokens;

/// <summary>An API scope the organization defines, as the Tokens tab offers it.</summary>
public sealed record OfferedApiScope(string Value, string Description, string ApiName, string ApiIdentifier);

/// <summary>The Tokens tab of an application: its refresh token settings and the API scopes it may request.</summary>
public sealed record ApplicationTokens(
    ApplicationDetails Application, bool AllowsRefreshToken, RefreshTokenSettings RefreshTokens, IReadOnlyList<string> ApiScopes, IReadOnlyList<OfferedApiScope> Offered)
{
    /// <summary>product.md §14, ADR 0026: requests per minute on the protocol endpoints; null is off.</summary>
    public int? RateLimitPerMinute { get; init; }
}

public sealed record GetApplicationTokensQuery(Guid OrganizationId, Guid ApplicationId) : IRequest<Result<ApplicationTokens>>;

/// <summary>
/// product.md §13: refresh token lifetimes (absolute and idle, in seconds as typed), whether one is
/// always issued, and which of the organization's API scopes the application may request.
/// </summary>
public sealed record UpdateApplicationTokensCommand(
    Guid OrganizationId,
    Guid ApplicationId,
    string? RefreshTokenLifetimeSeconds,
    string? RefreshTokenIdleLifetimeSeconds,
    bool AlwaysIssueRefreshToken,
    IReadOnlyList<string> ApiScopes,
    string? RateLimitPerMinute = null) : IRequest<Result>;

internal sealed class UpdateApplicationTokensValidator : AbstractValidator<UpdateApplicationTokensCommand>
{
    private static readonly string LifetimeMessage =
        $"Enter a whole number of seconds from {RefreshTokenSettings.MinLifetimeSeconds} to {RefreshTokenSettings.MaxLifetimeSeconds}.";

    public UpdateApplicationTokensValidator()
    {
        RuleFor(c => c.RefreshTokenLifetimeSeconds)
            .Must(value => ProtocolValues.ParseSeconds(value) is { } seconds && RefreshTokenSettings.IsValidLifetime(seconds))
            .WithMessage(LifetimeMessage);
        RuleFor(c => c.RefreshTokenIdleLifetimeSeconds)
            .Must(value => ProtocolValues.ParseSeconds(value) is { } seconds && RefreshTokenSettings.IsValidLifetime(seconds))
            .WithMessage(LifetimeMessage)
            .Must((c, value) => ProtocolValues.ParseSeconds(c.RefreshTokenLifetimeSeconds) is not { } absolute || ProtocolValues.ParseSeconds(value) <= absolute)
            .WithMessage("The idle lifetime cannot be longer than the absolute lifetime.");
        RuleFor(c => c.ApiScopes).NotNull();
        RuleFor(c => c.RateLimitPerMinute)
            .Must(value => string.IsNullOrWhiteSpace(value) || (ProtocolValues.ParseSeconds(value) is { } perMinute && ClientApplication.IsValidRateLimit(perMinute)))
            .WithMessage($"Leave empty for no limit, or enter a whole number of requests per minute from {ClientApplication.MinRateLimitPerMinute} to {ClientApplication.MaxRateLimitPerMinute:N0}.");
    }
}

internal sealed class ApplicationTokensHandlers(IApplicationDbContext db, TimeProvider time) :
    IRequestHandler<GetApplicationTokensQuery, Result<ApplicationTokens>>,
    IRequestHandler<UpdateApplicationTokensCommand, Result>
{
    public async Task<Result<ApplicationTokens>> Handle(GetApplicationTokensQuery request, CancellationToken cancellationToken)
    {
        var application = await db.Applications.AsNoTracking()
            .SingleOrDefaultAsync(a => a.Id == request.ApplicationId && a.OrganizationId == request.OrganizationId, cancellationToken);
        if (application is null)
        {
            return Error.NotFound("The application");
        }

        var offered = await (
                from scope in db.ApiScopes.AsNoTracking()
                join api in db.ApiResources.AsNoTracking() on scope.ApiResourceId equals api.Id
                where scope.OrganizationId == request.OrganizationId
                orderby api.Name, scope.Value
                select new OfferedApiScope(scope.Value, scope.Description, api.Name, api.Identifier))
            .ToListAsync(cancellationToken);
        var details = new ApplicationDetails(
            application.Id, application.Name, application.Description, application.ClientId, application.GrantTypes, application.CibaSettings, application.CreatedAt, application.UpdatedAt);
        return new ApplicationTokens(details, application.AllowsRefreshToken, application.RefreshTokens, application.ApiScopes, offered)
        {
            RateLimitPerMinute = application.RateLimitPerMinute,
        };
    }

    public async Task<Result> Handle(UpdateApplicationTokensCommand request, CancellationToken cancellationToken)
    {
        var application = await db.Applications
            .SingleOrDefaultAsync(a => a.Id == request.ApplicationId && a.OrganizationId == request.OrganizationId, cancellationToken);
        if (application is null)
        {
            return Error.NotFound("The application");
        }

        var wanted = request.ApiScopes.Distinct(StringComparer.Ordinal).ToList();
        var known = await db.ApiScopes.AsNoTracking()
            .Where(s => s.OrganizationId == request.OrganizationId && wanted.Contains(s.Value))
            .Select(s => s.Value)
            .ToListAsync(cancellationToken);
        if (known.Count != wanted.Count)
        {
            return Error.Validation([new FieldError(nameof(request.ApiScopes), "Choose API scopes from the list.")]);
        }

        var settings = RefreshTokenSettings.Create(
            ProtocolValues.ParseSeconds(request.RefreshTokenLifetimeSeconds)!.Value,
            ProtocolValues.ParseSeconds(request.RefreshTokenIdleLifetimeSeconds)!.Value,
            request.AlwaysIssueRefreshToken);
        application.UpdateTokens(settings, wanted, time.GetUtcNow());
        var rateLimit = string.IsNullOrWhiteSpace(request.RateLimitPerMinute) ? null : ProtocolValues.ParseSeconds(request.RateLimitPerMinute);
        application.SetProtection(application.NumberMatching, rateLimit, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return Result.Success;
    }
}
