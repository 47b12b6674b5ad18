using Ciba.Application.Common.Interfaces;
using Ciba.Application.Common.Results;
using Ciba.Domain.Organizations;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Application.Console.Organizations.Retention;

/// <summary>The organization's retention periods in days (product.md §14).</summary>
public sealed record RetentionSettings(int RequestRetentionDays, int MessageRetentionDays, int AuditRetentionDays);

public sealed record GetRetentionSettingsQuery(Guid OrganizationId) : IRequest<RetentionSettings>;

/// <summary>Changes how long finished requests, finished messages and audit events are kept.</summary>
public sealed record UpdateRetentionSettingsCommand(Guid OrganizationId, int? RequestRetentionDays, int? MessageRetentionDays, int? AuditRetentionDays)
    : IRequest<Result>;

internal sealed class UpdateRetentionSettingsValidator : AbstractValidator<UpdateRetentionSettingsCommand>
{
    private static readonly string Message = $"Enter a number of days from {Organization.MinRetentionDays} to {Organization.MaxRetentionDays}.";

    public UpdateRetentionSettingsValidator()
    {
        RuleFor(c => c.RequestRetentionDays).Must(Valid).WithMessage(Message);
        RuleFor(c => c.MessageRetentionDays).Must(Valid).WithMessage(Message);
        RuleFor(c => c.AuditRetentionDays).Must(Valid).WithMessage(Message);
    }

    private static bool Valid(int? days) => days is { } d && Organization.IsValidRetention(d);
}

internal sealed class GetRetentionSettingsHandler(IApplicationDbContext db) : IRequestHandler<GetRetentionSettingsQuery, RetentionSettings>
{
    public Task<RetentionSettings> Handle(GetRetentionSettingsQuery request, CancellationToken cancellationToken) =>
        db.Organizations.AsNoTracking()
            .Where(o => o.Id == request.OrganizationId)
            .Select(o => new RetentionSettings(o.RequestRetentionDays, o.MessageRetentionDays, o.AuditRetentionDays))
            .SingleAsync(cancellationToken);
}

internal sealed class UpdateRetentionSettingsHandler(IApplicationDbContext db) : IRequestHandler<UpdateRetentionSettingsCommand, Result>
{
    public async Task<Result> Handle(UpdateRetentionSettingsCommand request, CancellationToken cancellationToken)
    {
        var organization = await db.Organizations.SingleAsync(o => o.Id == request.OrganizationId, cancellationToken);
        organization.SetRetention(request.RequestRetentionDays!.Value, request.MessageRetentionDays!.Value, request.AuditRetentionDays!.Value);
        await db.SaveChangesAsync(cancellationToken);
        return Result.Success;
    }
}
