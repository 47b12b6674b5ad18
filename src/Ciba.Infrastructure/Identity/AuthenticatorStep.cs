namespace Ciba.Infrastructure.Identity;

/// <summary>
/// The last time step (RFC 6238) whose authenticator code a person gave successfully. A code is
/// accepted only for a later step (RFC 6238 §5.2, ADR 0032). Kept apart from the user row, which
/// Identity writes whole on every change and would put back an older step.
/// </summary>
public sealed class AuthenticatorStep
{
    public Guid UserId { get; set; }

    public long LastAcceptedStep { get; set; }
}
