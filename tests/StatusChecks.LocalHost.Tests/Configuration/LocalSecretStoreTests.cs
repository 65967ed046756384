using StatusChecks.LocalHost.Configuration;

namespace StatusChecks.LocalHost.Tests.Configuration;

public sealed class LocalSecretStoreTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "localhost-tests-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void GetOrCreate_NoFile_CreatesBase64UrlTokenOf32Bytes()
    {
        var path = Path.Combine(directory, ".local", "admin-token");

        var token = LocalSecretStore.GetOrCreate(path);

        Assert.Equal(43, token.Length); // 32 bytes, base64url without padding
        Assert.Matches("^[A-Za-z0-9_-]+$", token);
        Assert.Equal(token, File.ReadAllText(path));
    }

    [Fact]
    public void GetOrCreate_Base64Encoder_CreatesA32ByteKey()
    {
        var key = LocalSecretStore.GetOrCreate(Path.Combine(directory, "secrets-key"), Convert.ToBase64String);

        Assert.Equal(32, Convert.FromBase64String(key).Length);
    }

    [Fact]
    public void GetOrCreate_SecondCall_ReusesTheStoredToken()
    {
        var path = Path.Combine(directory, "admin-token");

        var first = LocalSecretStore.GetOrCreate(path);
        var second = LocalSecretStore.GetOrCreate(path);

        Assert.Equal(first, second);
    }

    [Fact]
    public void GetOrCreate_TwoStores_GenerateDifferentTokens()
    {
        Assert.NotEqual(
            LocalSecretStore.GetOrCreate(Path.Combine(directory, "a")),
            LocalSecretStore.GetOrCreate(Path.Combine(directory, "b")));
    }

    public void Dispose()
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
