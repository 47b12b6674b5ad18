namespace Ciba.Web.Consent;

public sealed class DecisionDoneViewModel
{
    public bool Approved { get; init; }

    /// <summary>The person said the request was not theirs (product.md §14).</summary>
    public bool Reported { get; init; }
}
