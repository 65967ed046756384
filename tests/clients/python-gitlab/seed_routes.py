"""Drives the seed routes (External Status Checks) end to end with stock python-gitlab 3.12, the version Debian
ships (apt-get install python3-gitlab), the way a python-gitlab user would. Exits non-zero on the first failed
step and prints the step, the error and the last HTTP exchanges.

    STATUSCHECKS_URL=http://127.0.0.1:7071 STATUSCHECKS_ADMIN_TOKEN=$(cat .local/admin-token) \
        /usr/bin/python3 tests/clients/python-gitlab/seed_routes.py

python-gitlab 3.12 has no status-check managers (they came in 4.x). The two managers below are built from
3.12's own base classes and mixins, declared as later python-gitlab versions declare them, which is how a 3.12
user adds a missing endpoint. The response and retry routes have no manager in any python-gitlab version: they
go through the client's own `http_post`.
"""

import os
import sys
import time
import traceback
import uuid

import gitlab
from gitlab import exceptions
from gitlab.base import RESTManager, RESTObject
from gitlab.mixins import (
    CreateMixin,
    DeleteMixin,
    ListMixin,
    ObjectDeleteMixin,
    SaveMixin,
    UpdateMixin,
)
from gitlab.types import ArrayAttribute, RequiredOptional


class ProjectExternalStatusCheck(SaveMixin, ObjectDeleteMixin, RESTObject):
    pass


class ProjectExternalStatusCheckManager(ListMixin, CreateMixin, UpdateMixin, DeleteMixin, RESTManager):
    _path = "/projects/{project_id}/external_status_checks"
    _obj_cls = ProjectExternalStatusCheck
    _from_parent_attrs = {"project_id": "id"}
    _create_attrs = RequiredOptional(
        required=("name", "external_url"), optional=("shared_secret", "protected_branch_ids")
    )
    _update_attrs = RequiredOptional(optional=("name", "external_url", "shared_secret", "protected_branch_ids"))
    _types = {"protected_branch_ids": ArrayAttribute}


class ProjectMergeRequestStatusCheck(RESTObject):
    pass


class ProjectMergeRequestStatusCheckManager(ListMixin, RESTManager):
    _path = "/projects/{project_id}/merge_requests/{merge_request_iid}/status_checks"
    _obj_cls = ProjectMergeRequestStatusCheck
    _from_parent_attrs = {"project_id": "project_id", "merge_request_iid": "iid"}


URL = os.environ.get("STATUSCHECKS_URL", "http://127.0.0.1:7071").rstrip("/")
ADMIN_TOKEN = os.environ.get("STATUSCHECKS_ADMIN_TOKEN")
KEEP_GOING = os.environ.get("STATUSCHECKS_KEEP_GOING") == "1"
SUFFIX = uuid.uuid4().hex[:10]
FAILURES = []
EXCHANGES = []


def sha(digit):
    return digit * 40


def trace(response, *args, **kwargs):
    """A requests response hook: it only observes the library's exchanges, to print them when a step fails."""
    body = response.request.body
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    EXCHANGES.append(
        f"{response.request.method} {response.request.url}\n  sent: {body or '(no body)'}\n"
        f"  got: {response.status_code} {response.headers.get('Content-Type', '(no content-type)')} {response.text[:600]}"
    )
    del EXCHANGES[:-6]


def client(token, **options):
    gl = gitlab.Gitlab(URL, private_token=token, **options)
    gl.session.hooks["response"].append(trace)
    return gl


def step(name):
    """Runs the decorated function at once as one named step."""

    def run(body):
        EXCHANGES.clear()
        started = time.monotonic()
        try:
            body()
        except Exception as error:  # noqa: BLE001 - every failure is reported the same way
            FAILURES.append(name)
            print(f"FAILED - {name}", file=sys.stderr)
            traceback.print_exception(type(error), error, error.__traceback__, file=sys.stderr)
            print("last HTTP exchanges:", file=sys.stderr)
            for exchange in EXCHANGES:
                print(exchange, file=sys.stderr)
            if not KEEP_GOING:
                sys.exit(1)
            return body
        print(f"ok - {name} ({int((time.monotonic() - started) * 1000)} ms)", flush=True)
        return body

    return run


def fails(call, error_class=exceptions.GitlabError):
    """Runs a call that must fail with an HTTP error; returns the error."""
    try:
        call()
    except error_class as error:
        if error.response_code is None:
            raise
        return error
    raise AssertionError("the call succeeded, an error was expected")


if not ADMIN_TOKEN:
    print("STATUSCHECKS_ADMIN_TOKEN is not set", file=sys.stderr)
    sys.exit(2)

admin = client(ADMIN_TOKEN)
s = {}  # what the steps create, by name


@step("gl.auth() (GET /user) and gl.version()")
def _():
    admin.auth()
    assert isinstance(admin.user.id, int), admin.user
    version, revision = admin.version()
    assert version != "unknown", "GET /version did not answer a version"


@step("admin creates a project")
def _():
    s["project"] = admin.projects.create(
        {"name": f"python-gitlab-{SUFFIX}", "visibility": "private", "description": "python-gitlab end to end"}
    )
    assert s["project"].name == f"python-gitlab-{SUFFIX}"


@step("admin protects main and release/*")
def _():
    project = s["project"]
    s["main"] = project.protectedbranches.create({"name": "main", "push_access_level": 40})
    s["release"] = project.protectedbranches.create({"name": "release/*"})
    names = sorted(b.name for b in project.protectedbranches.list(get_all=True))
    assert names == ["main", "release/*"], names


@step("admin gets a protected branch by name")
def _():
    # python-gitlab's own docs get a protected branch by name to find the id for protected_branch_ids.
    project = s["project"]
    assert project.protectedbranches.get("main").id == s["main"].id
    assert project.protectedbranches.get("release/*").id == s["release"].id


@step("admin creates a developer, a token and a membership")
def _():
    project = s["project"]
    user = admin.users.create(
        {
            "username": f"dev-{SUFFIX}",
            "name": "Dev Eloper",
            "email": f"dev-{SUFFIX}@example.com",
            "password": "not-used-here-42",
            "skip_confirmation": True,
        }
    )
    token = user.personal_access_tokens.create({"name": "ci", "scopes": ["api"]})
    assert token.token, "the token is shown once on creation"
    member = project.members.create({"user_id": user.id, "access_level": gitlab.const.DEVELOPER_ACCESS})
    assert member.access_level == 30
    # Global list options, as python-gitlab users set them: sent with every list call.
    dev = client(token.token, per_page=100, order_by="created_at")
    s["user"] = user
    s["dev"] = dev
    s["dev_project"] = dev.projects.get(project.id, lazy=True)


@step("get the user, the member; the developer's gl.auth()")
def _():
    user = s["user"]
    assert admin.users.get(user.id).username == f"dev-{SUFFIX}"
    assert s["project"].members.get(user.id).access_level == 30
    s["dev"].auth()
    assert s["dev"].user.id == user.id


@step("developer opens an MR into main")
def _():
    mr = s["dev_project"].mergerequests.create(
        {"source_branch": "feature/login", "target_branch": "main", "title": "Add login", "sha": sha("a")}
    )
    assert mr.state == "opened"
    assert mr.iid == 1
    s["mr"] = mr
    s["mr_checks"] = ProjectMergeRequestStatusCheckManager(s["dev"], parent=mr)


@step("admin creates a check scoped to main, an unscoped one, one to rescope")
def _():
    checks = ProjectExternalStatusCheckManager(admin, parent=s["project"])
    s["checks"] = checks
    s["scoped"] = checks.create(
        {
            "name": "Security scan",
            "external_url": "http://127.0.0.1:9/scan?token=abc",
            "shared_secret": "s3cret",
            "protected_branch_ids": [s["main"].id],
        }
    )
    assert [b["id"] for b in s["scoped"].protected_branches] == [s["main"].id]
    assert s["scoped"].hmac is True
    s["unscoped"] = checks.create({"name": "Licence scan", "external_url": "http://127.0.0.1:9/licence"})
    assert s["unscoped"].protected_branches == []
    s["rescoped"] = checks.create(
        {"name": "Release gate", "external_url": "http://127.0.0.1:9/release", "protected_branch_ids": [s["main"].id]}
    )


@step("admin rescopes a check to release/* with check.save()")
def _():
    check = s["rescoped"]
    # Reading a list attribute makes python-gitlab 3.12 send it back on save(): the service must ignore it.
    assert [b["name"] for b in check.protected_branches] == ["main"]
    check.protected_branch_ids = [s["release"].id]
    check.name = "Release gate v2"
    check.save()
    assert check.name == "Release gate v2"
    assert [b["name"] for b in check.protected_branches] == ["release/*"]


@step("admin lists the project's checks")
def _():
    listed = {c.id: c for c in s["checks"].list(get_all=True)}
    assert sorted(listed) == sorted([s["scoped"].id, s["unscoped"].id, s["rescoped"].id]), listed
    assert [b["id"] for b in listed[s["rescoped"].id].protected_branches] == [s["release"].id]


@step("a developer may not manage checks (401)")
def _():
    dev_checks = ProjectExternalStatusCheckManager(s["dev"], parent=s["dev_project"])
    error = fails(lambda: dev_checks.create({"name": "Sneaky", "external_url": "http://127.0.0.1:9/sneaky"}))
    assert error.response_code == 401, error
    error = fails(lambda: dev_checks.list(get_all=True))
    assert error.response_code == 401, error


def mr_statuses():
    return {c.id: c for c in s["mr_checks"].list(get_all=True)}


def respond(check, sha_value, status=None):
    data = {"sha": sha_value, "external_status_check_id": check.id}
    if status is not None:
        data["status"] = status
    mr = s["mr"]
    return s["dev"].http_post(f"/projects/{mr.project_id}/merge_requests/{mr.iid}/status_check_responses", post_data=data)


@step("the MR lists the checks that apply to main, pending, URLs without query")
def _():
    listed = mr_statuses()
    assert sorted(listed) == sorted([s["scoped"].id, s["unscoped"].id]), listed
    assert listed[s["scoped"].id].status == "pending"
    assert listed[s["unscoped"].id].status == "pending"
    assert listed[s["scoped"].id].external_url == "http://127.0.0.1:9/scan"


@step("post passed and failed; the list shows them")
def _():
    answer = respond(s["scoped"], sha("a"), "passed")
    assert answer["external_status_check"]["id"] == s["scoped"].id, answer
    assert answer["merge_request"]["iid"] == s["mr"].iid, answer
    respond(s["unscoped"], sha("a"), "failed")
    listed = mr_statuses()
    assert listed[s["scoped"].id].status == "passed"
    assert listed[s["unscoped"].id].status == "failed"


@step("a response on a stale sha answers 409 naming the HEAD")
def _():
    error = fails(lambda: respond(s["scoped"], sha("0"), "passed"))
    assert error.response_code == 409, error
    assert sha("a") in str(error.error_message), error.error_message


@step("retry the failed check: pending again")
def _():
    mr = s["mr"]
    s["dev"].http_post(
        f"/projects/{mr.project_id}/merge_requests/{mr.iid}/status_checks/{s['unscoped'].id}/retry"
    )
    listed = mr_statuses()
    assert listed[s["unscoped"].id].status == "pending"
    assert listed[s["scoped"].id].status == "passed"


@step("post pending explicitly")
def _():
    respond(s["scoped"], sha("a"), "pending")
    assert mr_statuses()[s["scoped"].id].status == "pending"


@step("merge gating: setting on, a pending check blocks the merge (405)")
def _():
    project = s["project"]
    project.only_allow_merge_if_all_status_checks_passed = True
    project.save()
    assert admin.projects.get(project.id).only_allow_merge_if_all_status_checks_passed is True
    mr = s["dev_project"].mergerequests.get(s["mr"].iid)
    assert mr.detailed_merge_status == "status_checks_must_pass", mr.detailed_merge_status
    error = fails(lambda: mr.merge(), exceptions.GitlabMRClosedError)
    assert error.response_code == 405, error


@step("a new commit resets the checks; the old sha is stale")
def _():
    mr = s["dev_project"].mergerequests.get(s["mr"].iid)
    mr.sha = sha("b")
    mr.save()
    assert mr.sha == sha("b")
    respond(s["scoped"], sha("b"), "passed")
    error = fails(lambda: respond(s["unscoped"], sha("a")))
    assert error.response_code == 409, error
    listed = mr_statuses()
    assert listed[s["scoped"].id].status == "passed"
    assert listed[s["unscoped"].id].status == "pending"


@step("all checks passed: the MR merges")
def _():
    respond(s["unscoped"], sha("b"))  # no status: GitLab 14.1 clients send none, and it means passed
    mr = s["dev_project"].mergerequests.get(s["mr"].iid)
    assert mr.detailed_merge_status == "mergeable", mr.detailed_merge_status
    mr.merge(should_remove_source_branch=True)
    assert mr.state == "merged"
    merged = s["dev_project"].mergerequests.list(state="merged", get_all=True)
    assert [m.iid for m in merged] == [mr.iid], merged


@step("admin removes a check (object delete)")
def _():
    s["rescoped"].delete()
    assert s["rescoped"].id not in {c.id for c in s["checks"].list(get_all=True)}


MANY = 105


@step(f"pagination: {MANY} checks on one project, then an MR")
def _():
    # Checks and MRs in separate projects: every check applies to every MR of its project, and each pair is a
    # notification.
    big = admin.projects.create({"name": f"python-gitlab-checks-{SUFFIX}"})
    checks = ProjectExternalStatusCheckManager(admin, parent=big)
    for i in range(MANY):
        checks.create({"name": f"check {i}", "external_url": f"http://127.0.0.1:9/check/{i}"})
    mr = big.mergerequests.create(
        {"source_branch": "feature/many", "target_branch": "main", "title": "Many checks", "sha": sha("c")}
    )
    s["big_checks"] = checks
    s["big_mr"] = mr


@step("pagination: every project check across pages")
def _():
    every = s["big_checks"].list(get_all=True, per_page=100)
    assert len(every) == MANY, len(every)
    assert len({c.id for c in every}) == MANY
    page = s["big_checks"].list(page=2, per_page=100)
    assert len(page) == MANY - 100, len(page)
    lazy = s["big_checks"].list(iterator=True, per_page=50)
    assert lazy.total == MANY and lazy.total_pages == 3, (lazy.total, lazy.total_pages)
    assert sum(1 for _ in lazy) == MANY


@step("pagination: every check of one MR across pages")
def _():
    statuses = ProjectMergeRequestStatusCheckManager(admin, parent=s["big_mr"]).list(get_all=True, per_page=100)
    assert len(statuses) == MANY, len(statuses)
    assert all(c.status == "pending" for c in statuses)


@step("pagination: MRs of another project across pages; filters")
def _():
    busy = admin.projects.create({"name": f"python-gitlab-mrs-{SUFFIX}"})
    for i in range(1, 6):
        busy.mergerequests.create(
            {"source_branch": f"feature/{i}", "target_branch": "main", "title": f"MR {i}", "sha": sha("d")}
        )
    mrs = busy.mergerequests.list(state="opened", per_page=2, get_all=True)
    assert [m.iid for m in mrs] == [5, 4, 3, 2, 1], [m.iid for m in mrs]
    lazy = busy.mergerequests.list(per_page=2, iterator=True)
    assert lazy.total == 5 and lazy.total_pages == 3, (lazy.total, lazy.total_pages)
    by_branch = busy.mergerequests.list(source_branch="feature/1", get_all=True)
    assert [m.source_branch for m in by_branch] == ["feature/1"]
    assert busy.mergerequests.list(state="merged", get_all=True) == []


if FAILURES:
    print(f"python-gitlab: {len(FAILURES)} step(s) failed", file=sys.stderr)
    sys.exit(1)
print("python-gitlab: all steps passed")
