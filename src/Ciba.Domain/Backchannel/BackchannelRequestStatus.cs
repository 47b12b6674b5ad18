namespace Ciba.Domain.Backchannel;

public enum BackchannelRequestStatus
{
    Pending = 0,
    Approved = 1,
    Denied = 2,
    Redeemed = 3,
}
