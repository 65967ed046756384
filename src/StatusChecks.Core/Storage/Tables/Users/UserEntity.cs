namespace StatusChecks.Core.Storage.Tables;

internal sealed record UserEntity : Row
{
    public long Id { get; set; }

    public string Username { get; set; } = "";

    public string Name { get; set; } = "";

    public string Email { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>True only for the administrator's own row (id <see cref="Domain.Administrator.UserId"/>).</summary>
    public bool IsAdmin { get; set; }
}
