namespace Ciba.Domain.Backchannel;

/// <summary>What happens when the person approves or denies on their phone.</summary>
public enum DecisionOutcome
{
    Recorded,
    Expired,
    AlreadyDecided,
    WrongUser,

    /// <summary>The session is weaker than the application's minimum <c>acr</c> (product.md §16).</summary>
    NotStrongEnough,
}
