using Ciba.Application.Common.Results;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Ciba.Application.Common.Options;
using Ciba.Web.Protocol;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Ciba.Web.Security;
using Scalar.AspNetCore;

namespace Ciba.Web.OpenApi;

/// <summary>
/// The OpenAPI document of the protocol endpoints (product.md §15) at <c>/openapi/v1.json</c>, and
/// a browsable reference at <c>/scalar</c> in Development. The endpoints read their forms
/// themselves, so MVC sees no parameters: <see cref="ProtocolEndpointCatalog"/> describes each one
/// and the transformers below write it into the document, in this one place.
/// </summary>
public static class ProtocolApiDescription
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/v1.json";
    public const string ReferencePath = "/scalar";

    private const string FormContentType = "application/x-www-form-urlencoded";
    private const string JsonContentType = "application/json";

    public static IServiceCollection AddProtocolApiDescription(this IServiceCollection services)
    {
        // Schemas of the wire records follow the protocol's JSON (snake_case), as ProtocolJsonContext writes it.
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            json.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        });
        services.Configure<MvcOptions>(mvc => mvc.Conventions.Add(new ProtocolControllersVisible()));
        services.AddOpenApi(DocumentName, options =>
        {
            options.ShouldInclude = description =>
                description.ActionDescriptor is ControllerActionDescriptor action
                && ProtocolEndpointCatalog.Find(action.AttributeRouteInfo?.Template ?? string.Empty) is not null;
            options.AddDocumentTransformer(DescribeDocumentAsync);
            options.AddOperationTransformer(DescribeOperationAsync);
        });
        return services;
    }

    public static WebApplication MapProtocolApiDescription(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapOpenApi(DocumentPath);
        if (app.Environment.IsDevelopment())
        {
            // The reference page starts itself with an inline module script and inline styles.
            app.MapScalarApiReference(ReferencePath, reference => reference
                    .WithTitle("Ciba protocol API")
                    .WithOpenApiRoutePattern(DocumentPath))
                .WithMetadata(new ContentSecurityPolicyOverride(
                    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
                    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"));
        }

        return app;
    }

    private static Task DescribeDocumentAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var origin = context.ApplicationServices.GetRequiredService<IOptions<CibaOptions>>().Value.PublicOrigin.TrimEnd('/');
        document.Info = new OpenApiInfo
        {
            Title = "Ciba protocol API",
            Version = "v1",
            Description = "OpenID Connect CIBA (poll mode) for the organization {org}. Requests are application/x-www-form-urlencoded; " +
                "every error answer is a JSON object with only error and error_description, and Cache-Control: no-store.",
        };
        document.Servers = [new OpenApiServer { Url = origin }];
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["client_secret_basic"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "basic",
            Description = "client_secret_basic: the client id and secret, each form-urlencoded, in HTTP Basic (RFC 6749 §2.3.1). " +
                "With client_secret_post they are the client_id and client_secret form fields instead.",
        };
        document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "An access token issued by the token endpoint (RFC 6750 §2.1).",
        };
        return Task.CompletedTask;
    }

    private static async Task DescribeOperationAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var template = context.Description.ActionDescriptor.AttributeRouteInfo?.Template;
        if (template is null || ProtocolEndpointCatalog.Find(template) is not { } endpoint)
        {
            return;
        }

        operation.OperationId = $"{endpoint.Name}_{context.Description.HttpMethod?.ToLowerInvariant()}";
        operation.Summary = endpoint.Summary;
        operation.Description = endpoint.Description;
        operation.Parameters = [OrganizationParameter()];
        if (endpoint.Form.Count > 0 && context.Description.HttpMethod == HttpMethods.Post)
        {
            operation.RequestBody = FormBody(endpoint);
        }

        operation.Security = endpoint.Authentication switch
        {
            CallerAuthentication.Client => [Requirement("client_secret_basic", context.Document)],
            CallerAuthentication.BearerToken => [Requirement("bearer", context.Document)],
            _ => [],
        };

        var success = await context.GetOrCreateSchemaAsync(endpoint.SuccessType, null, cancellationToken);
        operation.Responses = new OpenApiResponses
        {
            ["200"] = new OpenApiResponse
            {
                Description = endpoint.SuccessDescription,
                Content = new Dictionary<string, OpenApiMediaType> { [JsonContentType] = new() { Schema = success } },
            },
            ["404"] = new OpenApiResponse { Description = "No organization has this handle." },
        };
        foreach (var group in endpoint.ErrorCodes.GroupBy(code => OAuthErrorResults.StatusFor(code, endpoint.ErrorEndpoint)).OrderBy(g => g.Key))
        {
            operation.Responses[group.Key.ToString(System.Globalization.CultureInfo.InvariantCulture)] = ErrorResponse(group.ToList());
        }

        if (endpoint.RateLimited)
        {
            // ADR 0026: the application's own rate limit, with Retry-After.
            var limited = ErrorResponse([OAuthErrorCodes.TemporarilyUnavailable]);
            limited.Description = "The application's rate limit (requests per minute) is exceeded: temporarily_unavailable, with Retry-After.";
            operation.Responses["429"] = limited;
        }
    }

    private static OpenApiParameter OrganizationParameter() => new()
    {
        Name = "org",
        In = ParameterLocation.Path,
        Required = true,
        Description = "The organization's handle.",
        Schema = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^[a-z0-9][a-z0-9-]{0,30}[a-z0-9]$" },
    };

    private static OpenApiRequestBody FormBody(ProtocolEndpointDescription endpoint)
    {
        var schema = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Properties = new Dictionary<string, IOpenApiSchema>(),
            Required = new HashSet<string>(StringComparer.Ordinal),
            Description = "Each parameter at most once; unknown parameters are ignored.",
        };
        foreach (var field in endpoint.Form)
        {
            var property = new OpenApiSchema { Type = JsonSchemaType.String, Description = field.Description };
            if (field.AllowedValues is { } values)
            {
                property.Enum = values.Select(v => (JsonNode)JsonValue.Create(v)).ToList();
            }

            schema.Properties[field.Name] = property;
            if (field.Required)
            {
                schema.Required.Add(field.Name);
            }
        }

        return new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType> { [FormContentType] = new() { Schema = schema } },
        };
    }

    private static OpenApiResponse ErrorResponse(IReadOnlyList<string> codes) => new()
    {
        Description = "An OAuth error: " + string.Join(", ", codes) + ".",
        Content = new Dictionary<string, OpenApiMediaType>
        {
            [JsonContentType] = new()
            {
                Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Required = new HashSet<string>(StringComparer.Ordinal) { "error", "error_description" },
                    AdditionalPropertiesAllowed = false,
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        ["error"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = codes.Select(c => (JsonNode)JsonValue.Create(c)).ToList() },
                        ["error_description"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Printable ASCII without quotes or backslashes." },
                    },
                },
            },
        },
    };

    /// <summary>API Explorer lists only controllers marked for it; the protocol controllers are (the console and consent pages are not).</summary>
    private sealed class ProtocolControllersVisible : IControllerModelConvention
    {
        public void Apply(ControllerModel controller) =>
            controller.ApiExplorer.IsVisible = controller.ControllerType.Namespace?.StartsWith("Ciba.Web.Protocol", StringComparison.Ordinal) == true;
    }

    private static OpenApiSecurityRequirement Requirement(string scheme, OpenApiDocument? document) =>
        new() { [new OpenApiSecuritySchemeReference(scheme, document)] = [] };
}
