using Ciba.Application.Callbacks;
using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Results;
using Ciba.Domain.Applications;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Application.Console.Applications.UpdateTokenDelivery;

/// <summary>
/// The Protocol tab's token delivery block (product.md §11): poll, ping or push, and for ping and
/// push the client notification endpoint, validated at save. Values arrive as typed.
/// </summary>
public sealed record UpdateTokenDeliveryCommand(Guid OrganizationId, Guid ApplicationId, string? TokenDeliveryMode, string? ClientNotificationEndpoint)
    : IRequest<Result>
{
    public static IReadOnlyList<string> ModeNames { get; } = Enum.GetNames<TokenDeliveryMode>();

    public TokenDeliveryMode? Mode =>
        ModeNames.FirstOrDefault(n => string.Equals(n, TokenDeliveryMode?.Trim(), StringComparison.OrdinalIgnoreCase)) is { } name
            ? Enum.Parse<TokenDeliveryMode>(name)
            : null;

    public string? Endpoint => string.IsNullOrWhiteSpace(ClientNotificationEndpoint) ? null : ClientNotificationEndpoint.Trim();
}

/// <summary>The token delivery as the Protocol tab shows it.</summary>
public sealed record TokenDeliveryView(Guid ApplicationId, TokenDeliveryMode Mode, string? ClientNotificationEndpoint);

public sealed record GetTokenDeliveryQuery(Guid OrganizationId, Guid ApplicationId) : IRequest<Result<TokenDeliveryView>>;

internal sealed class UpdateTokenDeliveryValidator : AbstractValidator<UpdateTokenDeliveryCommand>
{
    public UpdateTokenDeliveryValidator(ICallbackEndpointPolicy endpoints)
    {
        RuleFor(c => c.TokenDeliveryMode)
            .Must((command, _) => command.Mode is not null)
            .WithMessage("Choose Poll, Ping or Push.");
        RuleFor(c => c.ClientNotificationEndpoint)
            .Must((command, _) => endpoints.RefusalFor(command.Endpoint) is null)
            .When(c => c.Mode is Domain.Applications.TokenDeliveryMode.Ping or Domain.Applications.TokenDeliveryMode.Push)
            .WithMessage((command, _) => endpoints.RefusalFor(command.Endpoint) ?? string.Empty);
    }
}

internal sealed class UpdateTokenDeliveryHandler(IApplicationDbContext db, TimeProvider time) : IRequestHandler<UpdateTokenDeliveryCommand, Result>
{
    public async Task<Result> Handle(UpdateTokenDeliveryCommand request, CancellationToken cancellationToken)
    {
        var application = await db.Applications
            .SingleOrDefaultAsync(a => a.Id == request.ApplicationId && a.OrganizationId == request.OrganizationId, cancellationToken);
        if (application is null)
        {
            return Error.NotFound("The application");
        }

        application.UpdateTokenDelivery(request.Mode!.Value, request.Endpoint, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return Result.Success;
    }
}

internal sealed class GetTokenDeliveryHandler(IApplicationDbContext db) : IRequestHandler<GetTokenDeliveryQuery, Result<TokenDeliveryView>>
{
    public async Task<Result<TokenDeliveryView>> Handle(GetTokenDeliveryQuery request, CancellationToken cancellationToken)
    {
        var view = await db.Applications.AsNoTracking()
            .Where(a => a.Id == request.ApplicationId && a.OrganizationId == request.OrganizationId)
            .Select(a => new TokenDeliveryView(a.Id, a.TokenDeliveryMode, a.ClientNotificationEndpoint))
            .SingleOrDefaultAsync(cancellationToken);
        return view is null ? Error.NotFound("The application") : view;
    }
}
