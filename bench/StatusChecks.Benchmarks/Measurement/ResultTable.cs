using System.Globalization;

namespace StatusChecks.Benchmarks.Measurement;

/// <summary>One printed table: a row per figure, with its target and PASS/MISS where it has one.</summary>
internal sealed class ResultTable(string title)
{
    private readonly List<string[]> rows = [];
    private readonly List<string> notes = [];

    public void Add(string measure, string result, string target = "", bool? met = null) =>
        rows.Add([measure, result, target, met switch { true => "PASS", false => "MISS", null => "" }]);

    public void Note(string note) => notes.Add(note);

    public void Print(TextWriter output)
    {
        string[] header = ["Measure", "Result", "Target", ""];
        var widths = Enumerable.Range(0, header.Length).Select(i => rows.Append(header).Max(row => row[i].Length)).ToArray();
        string Line(string[] cells) => "| " + string.Join(" | ", cells.Select((cell, i) => cell.PadRight(widths[i]))) + " |";

        output.WriteLine();
        output.WriteLine(title);
        output.WriteLine(Line(header));
        output.WriteLine("|" + string.Join("|", widths.Select(w => new string('-', w + 2))) + "|");
        foreach (var row in rows)
        {
            output.WriteLine(Line(row));
        }

        foreach (var note in notes)
        {
            output.WriteLine(note);
        }
    }

    public static string Ms(double milliseconds) => double.IsNaN(milliseconds) ? "n/a" : milliseconds.ToString("0.0", CultureInfo.InvariantCulture) + " ms";

    public static string PerSecond(double value) => value.ToString("0.0", CultureInfo.InvariantCulture) + "/s";

    public static string Percent(double ratio) => (ratio * 100).ToString("0", CultureInfo.InvariantCulture) + " %";

    public static string MiB(double bytes) => (bytes / (1024 * 1024)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";
}
