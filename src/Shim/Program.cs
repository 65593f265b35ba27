namespace ContainerPS.Shim;

/// <summary>Entry point: dispatches to the monitor or the container init by the first argument.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("containerps-shim: usage: containerps-shim monitor|init ...");
        return 2;
    }
}
