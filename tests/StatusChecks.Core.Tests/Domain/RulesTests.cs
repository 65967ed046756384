using StatusChecks.Core.Domain;

namespace StatusChecks.Core.Tests.Domain;

public sealed class RulesTests
{
    [Theory]
    [InlineData("My Project", "my-project")]
    [InlineData("  Spaces   everywhere ", "spaces-everywhere")]
    [InlineData("Café Déjà Vu", "cafe-deja-vu")]
    [InlineData("API v2.0 (beta)", "api-v2-0-beta")]
    [InlineData("snake_case-Name", "snake_case-name")]
    [InlineData("--Edge--", "edge")]
    public void DerivePath_Name_GitLabStyle(string name, string expected) =>
        Assert.Equal(expected, Rules.DerivePath(name));

    [Theory]
    [InlineData("ok-path")]
    [InlineData("Ok.Path_1")]
    [InlineData("_under")]
    public void Path_Valid_Accepted(string path) => Assert.Equal(path, Rules.Path(path));

    [Theory]
    [InlineData("-dash")]
    [InlineData(".dot")]
    [InlineData("with space")]
    [InlineData("slash/inside")]
    [InlineData("repo.git")]
    [InlineData("feed.atom")]
    [InlineData("")]
    public void Path_Invalid_ValidationFailedOnPath(string path) =>
        AssertValidation("path", () => Rules.Path(path));

    [Fact]
    public void Name_Missing_MissingParameter() =>
        Assert.Equal(new DomainError.MissingParameter("name"), Assert.Throws<DomainException>(() => Rules.Name(null, "name")).Error);

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Name_Blank_CantBeBlank(string name) =>
        Assert.Equal(["can't be blank"], AssertValidation("name", () => Rules.Name(name, "name")));

    [Fact]
    public void Name_LengthBoundary_255AcceptedAnd256Rejected()
    {
        Assert.Equal(255, Rules.Name(new string('n', 255), "name").Length);
        Assert.Equal(["is too long (maximum is 255 characters)"], AssertValidation("name", () => Rules.Name(new string('n', 256), "name")));
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef01234567", true)]
    [InlineData("0123456789ABCDEF0123456789ABCDEF01234567", false)]
    [InlineData("0123456789abcdef0123456789abcdef0123456", false)]
    [InlineData("0123456789abcdef0123456789abcdef012345678", false)]
    [InlineData("g123456789abcdef0123456789abcdef01234567", false)]
    public void Sha_FortyLowerCaseHex_OnlyValid(string sha, bool valid)
    {
        if (valid)
        {
            Assert.Equal(sha, Rules.Sha(sha));
        }
        else
        {
            Assert.Equal(new DomainError.InvalidParameter("sha"), Assert.Throws<DomainException>(() => Rules.Sha(sha)).Error);
        }
    }

    [Theory]
    [InlineData("group/project", true)]
    [InlineData("Group/Sub/project.x", true)]
    [InlineData("project", false)]
    [InlineData("group/pro ject", false)]
    [InlineData("group/#x", false)]
    [InlineData("group//x", false)]
    public void IsPathWithNamespace_OnlySafeKeys(string value, bool expected) =>
        Assert.Equal(expected, Rules.IsPathWithNamespace(value));

    [Theory]
    [InlineData(null, "root")]
    [InlineData("group", "group")]
    [InlineData("group/sub", "group/sub")]
    public void Namespace_ValidOrDefault_Accepted(string? ns, string expected) => Assert.Equal(expected, Rules.Namespace(ns));

    [Theory]
    [InlineData("group//sub")]
    [InlineData("group/-sub")]
    [InlineData("a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t/u/v/w/x/y/z/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t/u/v/w/x/y/z/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t/u/v/w/x/y/z/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t/u/v/w/x/y/z/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t/u/v/w/x/y/z")]
    public void Namespace_Invalid_ValidationFailedOnNamespace(string ns) => AssertValidation("namespace", () => Rules.Namespace(ns));

    [Theory]
    [InlineData("jane.doe", true)]
    [InlineData("jane_doe-2", true)]
    [InlineData("-jane", false)]
    [InlineData("jane.", false)]
    [InlineData("jane doe", false)]
    [InlineData("jane.git", false)]
    public void Username_GitLabRules(string username, bool valid)
    {
        if (valid)
        {
            Assert.Equal(username, Rules.Username(username));
        }
        else
        {
            AssertValidation("username", () => Rules.Username(username));
        }
    }

    [Theory]
    [InlineData("jane@example.com", true)]
    [InlineData("not-an-email", false)]
    [InlineData("Jane <jane@example.com>", false)]
    public void Email_SingleAddressOnly(string email, bool valid)
    {
        if (valid)
        {
            Assert.Equal(email, Rules.Email(email));
        }
        else
        {
            AssertValidation("email", () => Rules.Email(email));
        }
    }

    private static IReadOnlyList<string> AssertValidation(string field, Func<object> act)
    {
        var failed = Assert.IsType<DomainError.ValidationFailed>(Assert.Throws<DomainException>(act).Error);
        return Assert.Contains(field, failed.Errors);
    }
}
