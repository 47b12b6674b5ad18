using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Ciba.Web.Forms;

/// <summary>
/// The GOV.UK error pattern on every form field (product.md §17): a field with an error is marked
/// <c>aria-invalid</c> and described by its error message, whose id is <c>{field id}-error</c>.
/// Runs after MVC's own <c>asp-for</c> and <c>asp-validation-for</c> tag helpers.
/// </summary>
[HtmlTargetElement("input", Attributes = "asp-for")]
[HtmlTargetElement("select", Attributes = "asp-for")]
[HtmlTargetElement("textarea", Attributes = "asp-for")]
[HtmlTargetElement("span", Attributes = "asp-validation-for")]
public sealed class FieldErrorTagHelper : TagHelper
{
    /// <summary>ViewData key of the fields in form order, so that the error summary lists errors as the form does.</summary>
    public const string FieldOrderKey = "Ciba.FieldOrder";

    public override int Order => 1000;

    [HtmlAttributeName("asp-for")]
    public ModelExpression? For { get; set; }

    [HtmlAttributeName("asp-validation-for")]
    public ModelExpression? ValidationFor { get; set; }

    [HtmlAttributeNotBound]
    [ViewContext]
    public ViewContext ViewContext { get; set; } = null!;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var field = For ?? ValidationFor;
        if (field is null)
        {
            return;
        }

        var name = ViewContext.ViewData.TemplateInfo.GetFullHtmlFieldName(field.Name);
        var errorId = ErrorIdFor(name);
        if (ValidationFor is not null)
        {
            output.Attributes.SetAttribute("id", errorId);
            return;
        }

        if (ViewContext.ViewData.ModelState.TryGetValue(name, out var entry) && entry.Errors.Count > 0)
        {
            output.Attributes.SetAttribute("aria-invalid", "true");
            var describedBy = output.Attributes["aria-describedby"]?.Value?.ToString();
            output.Attributes.SetAttribute("aria-describedby", string.IsNullOrEmpty(describedBy) ? errorId : $"{errorId} {describedBy}");
        }
    }

    /// <summary>The id of a field's error message: the field's id (as <c>asp-for</c> makes it) and <c>-error</c>.</summary>
    public static string ErrorIdFor(string fieldName) => TagBuilder.CreateSanitizedId(fieldName, "_") + "-error";

    /// <summary>Where the error summary links for a field: the element whose id <c>asp-for</c> gives it.</summary>
    public static string FieldIdFor(string fieldName) => TagBuilder.CreateSanitizedId(fieldName, "_");
}
