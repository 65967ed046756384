using System.Text.Json;
using System.Text.RegularExpressions;

namespace StatusChecks.Infra.Tests.Support;

/// <summary>
/// One template of the compiled ARM JSON: the root (main.bicep) or a module's nested template, with the
/// deployment resource that passes it its parameters.
/// </summary>
internal sealed partial record ArmTemplate(JsonElement Template, JsonElement? Deployment, ArmTemplate? Parent)
{
    public string Name => Deployment?.GetProperty("name").GetString() ?? "(root)";

    /// <summary>This template and every module template under it, depth first.</summary>
    public IEnumerable<ArmTemplate> SelfAndDescendants()
    {
        yield return this;
        foreach (var resource in Resources().Where(r => r.Type == "Microsoft.Resources/deployments"))
        {
            if (resource.Element.GetProperty("properties").TryGetProperty("template", out var nested))
            {
                foreach (var template in new ArmTemplate(nested, resource.Element, this).SelfAndDescendants())
                {
                    yield return template;
                }
            }
        }
    }

    public IEnumerable<ArmResource> Resources() =>
        Template.GetProperty("resources") switch
        {
            { ValueKind: JsonValueKind.Array } array => array.EnumerateArray().Select(r => new ArmResource(r, this)),
            // Symbolic-name templates (languageVersion 2.0) keep resources in an object.
            var byName => byName.EnumerateObject().Select(p => new ArmResource(p.Value, this)),
        };

    public JsonElement? Variable(string name) =>
        Template.TryGetProperty("variables", out var variables) && variables.TryGetProperty(name, out var value)
            ? value
            : null;

    public JsonElement? ParameterDeclaration(string name) =>
        Template.TryGetProperty("parameters", out var parameters) && parameters.TryGetProperty(name, out var value)
            ? value
            : null;

    /// <summary>
    /// Follows an expression that is exactly <c>[parameters('x')]</c> or <c>[variables('x')]</c> through module
    /// parameter bindings and variables until it reaches something else: a literal, a root parameter, or an
    /// expression such as a reference to another module's output.
    /// </summary>
    public ResolvedValue Resolve(string expression)
    {
        if (ParameterOnly().Match(expression) is { Success: true } parameter && Deployment is { } deployment && Parent is not null)
        {
            var name = parameter.Groups[1].Value;
            if (deployment.GetProperty("properties").GetProperty("parameters").TryGetProperty(name, out var binding))
            {
                return binding.TryGetProperty("value", out var bound) && bound.ValueKind == JsonValueKind.String
                    ? Parent.Resolve(bound.GetString()!)
                    : new ResolvedValue(expression, this);
            }

            // Not passed by the module call: the module's own default applies.
            if (ParameterDeclaration(name) is { } declaration && declaration.TryGetProperty("defaultValue", out var fallback)
                && fallback.ValueKind == JsonValueKind.String)
            {
                return Resolve(fallback.GetString()!);
            }
        }

        if (VariableOnly().Match(expression) is { Success: true } variable
            && Variable(variable.Groups[1].Value) is { ValueKind: JsonValueKind.String } value)
        {
            return Resolve(value.GetString()!);
        }

        return new ResolvedValue(expression, this);
    }

    /// <summary>A value that is exactly <c>[variables('x')]</c> replaced by that variable's value, repeatedly.</summary>
    public JsonElement Dereference(JsonElement value) =>
        value.ValueKind == JsonValueKind.String && VariableOnly().Match(value.GetString()!) is { Success: true } match
            && Variable(match.Groups[1].Value) is { } variable
            ? Dereference(variable)
            : value;

    /// <summary>The GUID literals an expression stands for, looking through the variables it names.</summary>
    public IReadOnlySet<string> GuidsIn(string expression)
    {
        var guids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var seen = new HashSet<string>();
        var pending = new Stack<string>([expression]);
        while (pending.TryPop(out var text))
        {
            guids.UnionWith(GuidLiteral().Matches(text).Select(m => m.Value));
            foreach (Match reference in VariableReference().Matches(text))
            {
                if (seen.Add(reference.Groups[1].Value) && Variable(reference.Groups[1].Value) is { } value)
                {
                    pending.Push(value.GetRawText());
                }
            }
        }

        return guids;
    }

    [GeneratedRegex(@"^\[parameters\('([^']+)'\)\]$")]
    private static partial Regex ParameterOnly();

    [GeneratedRegex(@"^\[variables\('([^']+)'\)\]$")]
    private static partial Regex VariableOnly();

    [GeneratedRegex(@"variables\('([^']+)'\)")]
    private static partial Regex VariableReference();

    [GeneratedRegex(@"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex GuidLiteral();
}

internal sealed record ArmResource(JsonElement Element, ArmTemplate Owner)
{
    public string Type => Element.GetProperty("type").GetString()!;

    public JsonElement Properties => Element.GetProperty("properties");

    public string? StringProperty(string name) =>
        Properties.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>Where a parameter chain ends: the expression and the template it belongs to.</summary>
internal sealed record ResolvedValue(string Expression, ArmTemplate Template)
{
    public bool IsRootParameter(string name) =>
        Template.Parent is null && Expression == $"[parameters('{name}')]";

    /// <summary>True when the value is output <paramref name="output"/> of the module deployment <paramref name="module"/>.</summary>
    public bool IsModuleOutput(string module, string output) =>
        Expression.Contains($"'Microsoft.Resources/deployments', '{module}')", StringComparison.Ordinal)
        && Expression.Contains($".outputs.{output}.value", StringComparison.Ordinal);
}
