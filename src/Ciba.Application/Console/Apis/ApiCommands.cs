using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Results;
using Ciba.Domain.Apis;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Application.Console.Apis;

/// <summary>A row of the console's API list.</summary>
public sealed record ApiSummary(Guid Id, string Name, string Identifier, int ScopeCount);

public sealed record ApiScopeView(string Value, string Description);

/// <summary>An API as its console page shows it, with the applications that may request each scope.</summary>
public sealed record ApiDetails(Guid Id, string Name, string Identifier, IReadOnlyList<ApiScopeView> Scopes);

public sealed record ListApisQuery(Guid OrganizationId) : IRequest<IReadOnlyList<ApiSummary>>;

public sealed record GetApiQuery(Guid OrganizationId, Guid ApiId) : IRequest<Result<ApiDetails>>;

/// <summary>product.md §13: an API has a name and an identifier that access tokens name as their audience.</summary>
public sealed record CreateApiCommand(Guid OrganizationId, string? Name, string? Identifier) : IRequest<Result<Guid>>;

public sealed record UpdateApiCommand(Guid OrganizationId, Guid ApiId, string? Name, string? Identifier) : IRequest<Result>;

public sealed record DeleteApiCommand(Guid OrganizationId, Guid ApiId) : IRequest<Result>;

public sealed record AddApiScopeCommand(Guid OrganizationId, Guid ApiId, string? Value, string? Description) : IRequest<Result>;

public sealed record RemoveApiScopeCommand(Guid OrganizationId, Guid ApiId, string? Value) : IRequest<Result>;

internal static class ApiRules
{
    public const string NameMessage = "Enter a name of at most 100 characters.";
    public const string IdentifierMessage = "Enter an absolute URI without a fragment, such as https://api.example.com (at most 200 characters).";
    public const string IdentifierTakenMessage = "Another API of this organization has this identifier.";
    public const string ScopeValueMessage = "Enter a scope of letters, digits and punctuation without spaces, quotes or backslashes (at most 100), other than openid, profile, email, phone, address and offline_access.";
    public const string ScopeTakenMessage = "An API of this organization already has this scope.";
    public const string DescriptionMessage = "Enter what the scope lets an application do, in words people understand (at most 200 characters).";

    public static bool IsValidName(string? name) => !string.IsNullOrWhiteSpace(name) && name.Trim().Length <= ApiResource.MaxNameLength;
}

internal sealed class CreateApiValidator : AbstractValidator<CreateApiCommand>
{
    public CreateApiValidator()
    {
        RuleFor(c => c.Name).Must(ApiRules.IsValidName).WithMessage(ApiRules.NameMessage);
        RuleFor(c => c.Identifier).Must(ApiResource.IsValidIdentifier).WithMessage(ApiRules.IdentifierMessage);
    }
}

internal sealed class UpdateApiValidator : AbstractValidator<UpdateApiCommand>
{
    public UpdateApiValidator()
    {
        RuleFor(c => c.Name).Must(ApiRules.IsValidName).WithMessage(ApiRules.NameMessage);
        RuleFor(c => c.Identifier).Must(ApiResource.IsValidIdentifier).WithMessage(ApiRules.IdentifierMessage);
    }
}

internal sealed class AddApiScopeValidator : AbstractValidator<AddApiScopeCommand>
{
    public AddApiScopeValidator()
    {
        RuleFor(c => c.Value).Must(ApiScope.IsValidValue).WithMessage(ApiRules.ScopeValueMessage);
        RuleFor(c => c.Description).Must(ApiScope.IsValidDescription).WithMessage(ApiRules.DescriptionMessage);
    }
}

internal sealed class ApiHandlers(IApplicationDbContext db, TimeProvider time) :
    IRequestHandler<ListApisQuery, IReadOnlyList<ApiSummary>>,
    IRequestHandler<GetApiQuery, Result<ApiDetails>>,
    IRequestHandler<CreateApiCommand, Result<Guid>>,
    IRequestHandler<UpdateApiCommand, Result>,
    IRequestHandler<DeleteApiCommand, Result>,
    IRequestHandler<AddApiScopeCommand, Result>,
    IRequestHandler<RemoveApiScopeCommand, Result>
{
    private static readonly Error ApiNotFound = Error.NotFound("The API");

    public async Task<IReadOnlyList<ApiSummary>> Handle(ListApisQuery request, CancellationToken cancellationToken) =>
        await db.ApiResources.AsNoTracking()
            .Where(a => a.OrganizationId == request.OrganizationId)
            .OrderBy(a => a.Name)
            .Select(a => new ApiSummary(a.Id, a.Name, a.Identifier, a.Scopes.Count))
            .ToListAsync(cancellationToken);

    public async Task<Result<ApiDetails>> Handle(GetApiQuery request, CancellationToken cancellationToken)
    {
        var api = await FindAsync(request.OrganizationId, request.ApiId, tracking: false, cancellationToken);
        return api is null
            ? ApiNotFound
            : new ApiDetails(api.Id, api.Name, api.Identifier, api.Scopes.OrderBy(s => s.Value, StringComparer.Ordinal).Select(s => new ApiScopeView(s.Value, s.Description)).ToList());
    }

    public async Task<Result<Guid>> Handle(CreateApiCommand request, CancellationToken cancellationToken)
    {
        if (await IdentifierTakenAsync(request.OrganizationId, request.Identifier!, null, cancellationToken))
        {
            return Error.Validation([new FieldError(nameof(request.Identifier), ApiRules.IdentifierTakenMessage)]);
        }

        var api = ApiResource.Create(request.OrganizationId, request.Name!, request.Identifier!, time.GetUtcNow());
        db.ApiResources.Add(api);
        await db.SaveChangesAsync(cancellationToken);
        return api.Id;
    }

    public async Task<Result> Handle(UpdateApiCommand request, CancellationToken cancellationToken)
    {
        var api = await FindAsync(request.OrganizationId, request.ApiId, tracking: true, cancellationToken);
        if (api is null)
        {
            return ApiNotFound;
        }

        if (await IdentifierTakenAsync(request.OrganizationId, request.Identifier!, api.Id, cancellationToken))
        {
            return Error.Validation([new FieldError(nameof(request.Identifier), ApiRules.IdentifierTakenMessage)]);
        }

        api.Update(request.Name!, request.Identifier!, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return Result.Success;
    }

    public async Task<Result> Handle(DeleteApiCommand request, CancellationToken cancellationToken)
    {
        var api = await FindAsync(request.OrganizationId, request.ApiId, tracking: true, cancellationToken);
        if (api is null)
        {
            return ApiNotFound;
        }

        await ForgetScopesAsync(request.OrganizationId, api.Scopes.Select(s => s.Value).ToList(), cancellationToken);
        db.ApiResources.Remove(api);
        await db.SaveChangesAsync(cancellationToken);
        return Result.Success;
    }

    public async Task<Result> Handle(AddApiScopeCommand request, CancellationToken cancellationToken)
    {
        var api = await FindAsync(request.OrganizationId, request.ApiId, tracking: true, cancellationToken);
        if (api is null)
        {
            return ApiNotFound;
        }

        var value = request.Value!;
        if (await db.ApiScopes.AnyAsync(s => s.OrganizationId == request.OrganizationId && s.Value == value, cancellationToken))
        {
            return Error.Validation([new FieldError(nameof(request.Value), ApiRules.ScopeTakenMessage)]);
        }

        if (api.Scopes.Count >= ApiResource.MaxScopes)
        {
            return Error.Validation([new FieldError(nameof(request.Value), $"An API has at most {ApiResource.MaxScopes} scopes.")]);
        }

        db.ApiScopes.Add(api.AddScope(value, request.Description!, time.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        return Result.Success;
    }

    public async Task<Result> Handle(RemoveApiScopeCommand request, CancellationToken cancellationToken)
    {
        var api = await FindAsync(request.OrganizationId, request.ApiId, tracking: true, cancellationToken);
        if (api is null || request.Value is null || !api.RemoveScope(request.Value, time.GetUtcNow()))
        {
            return ApiNotFound;
        }

        await ForgetScopesAsync(request.OrganizationId, [request.Value], cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return Result.Success;
    }

    private Task<ApiResource?> FindAsync(Guid organizationId, Guid apiId, bool tracking, CancellationToken cancellationToken)
    {
        var query = db.ApiResources.Include(a => a.Scopes).Where(a => a.Id == apiId && a.OrganizationId == organizationId);
        return (tracking ? query : query.AsNoTracking()).SingleOrDefaultAsync(cancellationToken);
    }

    private Task<bool> IdentifierTakenAsync(Guid organizationId, string identifier, Guid? except, CancellationToken cancellationToken) =>
        db.ApiResources.AnyAsync(a => a.OrganizationId == organizationId && a.Identifier == identifier && a.Id != except, cancellationToken);

    /// <summary>A scope that no longer exists is no longer any application's to request.</summary>
    private async Task ForgetScopesAsync(Guid organizationId, IReadOnlyList<string> values, CancellationToken cancellationToken)
    {
        var applications = await db.Applications.Where(a => a.OrganizationId == organizationId).ToListAsync(cancellationToken);
        foreach (var application in applications)
        {
            foreach (var value in values)
            {
                application.RemoveApiScope(value);
            }
        }
    }
}
