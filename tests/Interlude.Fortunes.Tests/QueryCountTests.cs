using Fortunes.Controllers;
using Fortunes.Data;
using Xunit;

namespace Interlude.Fortunes.Tests;

/// <summary>The parts of TechEmpower's rules that need no database.</summary>
public sealed class QueryCountTests
{
    [Theory]
    [InlineData(null, 1)]
    [InlineData("", 1)]
    [InlineData("abc", 1)]
    [InlineData("0", 1)]
    [InlineData("-1", 1)]
    [InlineData("1", 1)]
    [InlineData("20", 20)]
    [InlineData("500", 500)]
    [InlineData("501", 500)]
    [InlineData("99999999999", 1)]
    public void Counts_are_clamped_to_1_to_500_and_junk_is_1(string? text, int expected)
        => Assert.Equal(expected, BenchmarkController.QueryCount(text));

    [Fact]
    public void Fortunes_sort_by_message_ordinally()
    {
        var fortunes = new List<Fortune> { new(1, "b"), new(2, "B"), new(3, "a"), new(4, "フ"), new(5, "<") };
        fortunes.Sort();
        Assert.Equal(["<", "B", "a", "b", "フ"], fortunes.Select(f => f.Message));
    }
}
