namespace Ciba.Domain.Applications;

/// <summary>How an application receives the outcome of a CIBA request (CIBA Core §5; product.md §11).</summary>
public enum TokenDeliveryMode
{
    /// <summary>The client polls the token endpoint.</summary>
    Poll = 0,

    /// <summary>The client is told at its notification endpoint, then calls the token endpoint (CIBA Core §10.2).</summary>
    Ping = 1,

    /// <summary>The tokens, or the error, are POSTed to the client's notification endpoint (CIBA Core §10.3).</summary>
    Push = 2,
}
