namespace Doppel.Core.Tests;

public class SmokeTest
{
    [Fact]
    public void Version_is_set() => DoppelInfo.Version.Should().NotBeNullOrEmpty();
}
