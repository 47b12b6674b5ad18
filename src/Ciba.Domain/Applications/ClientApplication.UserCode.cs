namespace Ciba.Domain.Applications;

/// <summary>product.md §12: the application sends the person's user code with every request (CIBA Core <c>backchannel_user_code_parameter</c>).</summary>
public sealed partial class ClientApplication
{
    public bool RequireUserCode { get; private set; }

    public void SetRequireUserCode(bool required, DateTimeOffset now)
    {
        RequireUserCode = required;
        UpdatedAt = now;
    }
}
