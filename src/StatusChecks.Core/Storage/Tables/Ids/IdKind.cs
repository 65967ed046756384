namespace StatusChecks.Core.Storage.Tables;

internal enum IdKind
{
    Project,
    User,
    Token,
    ProtectedBranch,
    StatusCheck,
    MergeRequest,
    StatusCheckResponse,
    Delivery,
}
