namespace Ciba.Domain.Notifications;

public enum SmsProviderKind
{
    None = 0,
    DevelopmentInbox = 1,
    Vonage = 2,
}
