using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace Ciba.Web.Protocol;

/// <summary>A JSON protocol response written with source-generated metadata (no reflection per request).</summary>
public sealed class ProtocolJsonResult<T>(T value, JsonTypeInfo<T> typeInfo, bool noStore = true) : IActionResult
{
    public async Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.HttpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        if (noStore)
        {
            ProtocolHeaders.NoStore(response);
        }

        response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(response.Body, value, typeInfo, context.HttpContext.RequestAborted);
    }
}
