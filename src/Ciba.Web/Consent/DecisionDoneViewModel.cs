namespace Ciba.Web.Consent;

public sealed class DecisionDoneViewModel
{
    public bool Approved { get; init; }
}
