namespace Ciba.Domain.Backchannel;

/// <summary>What happens when the person approves or denies on their phone.</summary>
public enum DecisionOutcome
{
    Recorded,
    Expired,
    AlreadyDecided,
    WrongUser,
}
