using System.Management.Automation;
using System.Reflection;
using Microsoft.PowerShell.Commands.Internal.Format;

namespace ContainerPS.Shell.Commands;

/// <summary>
/// Reaches PowerShell's own formatting engine, which lives in System.Management.Automation.
/// PowerShell's Utility module (Format-Table, Format-List, Out-String, Out-File) consists of
/// thin subclasses of the public <see cref="FrontEndCommandBase"/> family that plug an
/// internal implementation object into the protected-internal <c>implementation</c> field.
/// That module is not on the package feed here, so cpsh does the same through reflection;
/// the output is then exactly what pwsh produces (views from format.ps1xml, grouping,
/// column widths). Checked against SMA 7.6.9.
/// </summary>
internal static class FormattingEngine
{
    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
    private const string Namespace = "Microsoft.PowerShell.Commands.Internal.Format.";
    private static readonly Assembly Sma = typeof(PSObject).Assembly;

    /// <summary>Makes <paramref name="command"/> a Format-* command producing <paramref name="shape"/> ("Table", "List").</summary>
    public static void UseShape(FrontEndCommandBase command, string shape)
    {
        Type shapeType = InternalType("FormatShape");
        object shapeValue = Enum.Parse(shapeType, shape);
        object inner = Create("InnerFormatShapeCommand", shapeValue);
        SetImplementation(command, inner);
    }

    /// <summary>Makes <paramref name="command"/> an Out-* command; call <see cref="SetLineOutput"/> before processing.</summary>
    public static void UseOutputManager(FrontEndCommandBase command) => SetImplementation(command, Create("OutputManagerInner"));

    /// <summary>Sends the formatted lines of an Out-* command to <paramref name="writer"/>, wrapped at <paramref name="columns"/>.</summary>
    public static void SetLineOutput(FrontEndCommandBase command, TextWriter writer, int columns, bool suppressNewline = false)
    {
        object inner = GetImplementation(command);
        object lineOutput = Create("TextWriterLineOutput", writer, columns, suppressNewline);
        PropertyInfo property = inner.GetType().GetProperty("LineOutput", Instance)
            ?? throw Missing("OutputManagerInner.LineOutput");
        property.SetValue(inner, lineOutput);
    }

    private static FieldInfo ImplementationField { get; } =
        typeof(FrontEndCommandBase).GetField("implementation", Instance) ?? throw Missing("FrontEndCommandBase.implementation");

    private static void SetImplementation(FrontEndCommandBase command, object implementation) =>
        ImplementationField.SetValue(command, implementation);

    private static object GetImplementation(FrontEndCommandBase command) =>
        ImplementationField.GetValue(command) ?? throw Missing("FrontEndCommandBase.implementation value");

    private static Type InternalType(string name) => Sma.GetType(Namespace + name) ?? throw Missing(Namespace + name);

    private static object Create(string typeName, params object[] args) =>
        Activator.CreateInstance(InternalType(typeName), Instance, binder: null, args, culture: null)
            ?? throw Missing(typeName + " constructor");

    private static NotSupportedException Missing(string what) =>
        new($"cpsh: the PowerShell formatting engine member '{what}' was not found in System.Management.Automation {Sma.GetName().Version}; cpsh's Format-*/Out-* commands need SMA 7.6.");
}
