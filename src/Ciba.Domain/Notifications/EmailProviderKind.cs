namespace Ciba.Domain.Notifications;

public enum EmailProviderKind
{
    None = 0,
    DevelopmentInbox = 1,
    SendGrid = 2,
}
