namespace StatusChecks.Core.Domain;

/// <summary>
/// A client mistake or refusal that the domain reports. The HTTP layer maps each kind to GitLab's status code
/// and body in one place; the domain itself knows nothing of HTTP.
/// </summary>
public abstract record DomainError
{
    private DomainError()
    {
    }

    /// <summary>401 {"message":"401 Unauthorized"}: missing, unknown, expired or revoked token.</summary>
    public sealed record Unauthorized : DomainError;

    /// <summary>403 {"message":"403 Forbidden"}: visible resource, role too low (or read_api token on a write).</summary>
    public sealed record Forbidden : DomainError;

    /// <summary>404 {"message":"404 {Thing} Not Found"}, Thing one of <see cref="ResourceNames"/>: where GitLab names the thing.</summary>
    public sealed record NotFound(string Thing) : DomainError;

    /// <summary>404 {"message":"404 Not found"}: a record missing inside a visible project (GitLab's generic RecordNotFound answer).</summary>
    public sealed record RecordNotFound : DomainError;

    /// <summary>401 {"message":["Not allowed"]}: GitLab's status-check services refusing a member below Maintainer.</summary>
    public sealed record NotPermitted : DomainError;

    /// <summary>412 {"message":"412 Precondition Failed"}: the resource changed after the request's If-Unmodified-Since.</summary>
    public sealed record PreconditionFailed : DomainError;

    /// <summary>400 {"error":"{Name} is missing"}.</summary>
    public sealed record MissingParameter(string Name) : DomainError;

    /// <summary>400 {"error":"{Name} is invalid"}.</summary>
    public sealed record InvalidParameter(string Name) : DomainError;

    /// <summary>
    /// 400 {"message":{"field":["reason", ...]}}: model validation where GitLab's API renders the errors hash
    /// (render_validation_error!: projects, users), e.g. path "has already been taken".
    /// </summary>
    public sealed record ValidationFailed(IReadOnlyDictionary<string, IReadOnlyList<string>> Errors) : DomainError
    {
        public static ValidationFailed For(string field, string reason) =>
            new(new Dictionary<string, IReadOnlyList<string>> { [field] = [reason] });
    }

    /// <summary>
    /// 422 {"message":["Full message", ...]}: model validation where GitLab answers with the model's full messages
    /// (the status-check services), e.g. "Name has already been taken".
    /// </summary>
    public sealed record RecordInvalid(IReadOnlyList<string> Messages) : DomainError;

    /// <summary>409 {"message":"..."}: e.g. "SHA does not match HEAD of source branch: {sha}".</summary>
    public sealed record Conflict(string Message) : DomainError;

    /// <summary>405 {"message":"405 Method Not Allowed"}: e.g. merging an MR that is not open or is blocked.</summary>
    public sealed record NotAllowed : DomainError;

    /// <summary>422 {"message":"..."}: e.g. "External status check must be failed".</summary>
    public sealed record Unprocessable(string Message) : DomainError;
}

/// <summary>Thrown by domain services; the function middleware turns it into the GitLab-shaped response.</summary>
public sealed class DomainException(DomainError error)
    : Exception(error.ToString())
{
    public DomainError Error { get; } = error;
}
