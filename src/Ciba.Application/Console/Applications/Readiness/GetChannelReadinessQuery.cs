using Ciba.Application.Common.Interfaces;
using Ciba.Domain.Notifications;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Ciba.Application.Console.Applications.Readiness;

/// <summary>
/// Whether each notification channel can work in the organization (product.md §17): by the same
/// rules the backchannel request applies (§4): Email needs an email provider and a verified email
/// address, SMS an SMS provider and a mobile number.
/// </summary>
public sealed record GetChannelReadinessQuery(Guid OrganizationId) : IRequest<ChannelReadiness>;

/// <param name="UsersWithVerifiedEmail">How many users Email could reach once a provider is set.</param>
/// <param name="UsersWithMobile">How many users SMS could reach once a provider is set.</param>
public sealed record ChannelReadiness(EmailProviderKind EmailProvider, int UsersWithVerifiedEmail, SmsProviderKind SmsProvider, int UsersWithMobile)
{
    public bool EmailConfigured => EmailProvider != EmailProviderKind.None;

    public bool SmsConfigured => SmsProvider != SmsProviderKind.None;
}

/// <summary>Counts the people each channel could reach.</summary>
public interface IUserReachability
{
    Task<(int VerifiedEmails, int Mobiles)> CountAsync(Guid organizationId, CancellationToken cancellationToken);
}

internal sealed class GetChannelReadinessHandler(IApplicationDbContext db, IUserReachability users) : IRequestHandler<GetChannelReadinessQuery, ChannelReadiness>
{
    public async Task<ChannelReadiness> Handle(GetChannelReadinessQuery request, CancellationToken cancellationToken)
    {
        var providers = await db.NotificationProviders.AsNoTracking()
            .Where(p => p.OrganizationId == request.OrganizationId)
            .Select(p => new { p.EmailProvider, p.SmsProvider })
            .SingleOrDefaultAsync(cancellationToken);
        var (verifiedEmails, mobiles) = await users.CountAsync(request.OrganizationId, cancellationToken);
        return new ChannelReadiness(
            providers?.EmailProvider ?? EmailProviderKind.None, verifiedEmails, providers?.SmsProvider ?? SmsProviderKind.None, mobiles);
    }
}
