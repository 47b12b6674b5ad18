namespace Ciba.Application.Backchannel.Report;

/// <summary>Who hears about a report: the organization's administrators with a verified email address, not locked.</summary>
public interface IAdministratorContacts
{
    Task<IReadOnlyList<string>> VerifiedEmailsAsync(Guid organizationId, CancellationToken cancellationToken);
}
