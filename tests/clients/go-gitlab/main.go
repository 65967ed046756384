// Drives the seed routes (External Status Checks) end to end with stock go-gitlab 0.73.1, the version Debian ships
// (apt-get install golang-github-xanzy-go-gitlab-dev golang-go), the way a go-gitlab user would. Exits non-zero on
// the first failed step and prints the step, the error and the last HTTP exchanges.
//
//	GOPATH=/usr/share/gocode GO111MODULE=off STATUSCHECKS_URL=http://127.0.0.1:7071 \
//	  STATUSCHECKS_ADMIN_TOKEN=$(cat .local/admin-token) go run tests/clients/go-gitlab/main.go
//
// go-gitlab 0.73.1 has the status-check routes of GitLab 14.x (list, create, update, delete, MR list, response)
// but no method for the retry route and no field for only_allow_merge_if_all_status_checks_passed: those two go
// through the client's own NewRequest/Do. The MR's `sha` is this service's extension parameter (it has no git);
// go-gitlab has no field for it, so it goes in the query string through a RequestOptionFunc.
package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"reflect"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	gitlab "github.com/xanzy/go-gitlab"
)

var (
	baseURL    = strings.TrimRight(envOr("STATUSCHECKS_URL", "http://127.0.0.1:7071"), "/")
	adminToken = os.Getenv("STATUSCHECKS_ADMIN_TOKEN")
	keepGoing  = os.Getenv("STATUSCHECKS_KEEP_GOING") == "1"
	failures   = 0
)

func envOr(name, fallback string) string {
	if value := os.Getenv(name); value != "" {
		return value
	}
	return fallback
}

// tracer records the HTTP exchanges, printed when a step fails; it only observes the library's requests.
type tracer struct {
	mu        sync.Mutex
	exchanges []string
}

var trace = &tracer{}

func (t *tracer) RoundTrip(req *http.Request) (*http.Response, error) {
	sent := "(no body)"
	if req.Body != nil {
		data, _ := io.ReadAll(req.Body)
		req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(data))
		if len(data) > 0 {
			sent = string(data)
		}
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	line := fmt.Sprintf("%s %s\n  sent: %s\n  got: ", req.Method, req.URL, sent)
	if err != nil {
		line += err.Error()
	} else {
		data, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(data))
		if len(data) > 600 {
			data = data[:600]
		}
		line += fmt.Sprintf("%d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), data)
	}
	t.mu.Lock()
	t.exchanges = append(t.exchanges, line)
	if len(t.exchanges) > 6 {
		t.exchanges = t.exchanges[len(t.exchanges)-6:]
	}
	t.mu.Unlock()
	return resp, err
}

func newClient(token string) *gitlab.Client {
	client, err := gitlab.NewClient(token,
		gitlab.WithBaseURL(baseURL+"/api/v4"),
		gitlab.WithHTTPClient(&http.Client{Transport: trace, Timeout: 60 * time.Second}))
	if err != nil {
		panic(err)
	}
	return client
}

// failed stops a step: a panic that step() recovers.
type failed struct{ message string }

func check(condition bool, format string, args ...interface{}) {
	if !condition {
		panic(failed{fmt.Sprintf(format, args...)})
	}
}

func must(err error) {
	if err != nil {
		panic(failed{"unexpected error: " + err.Error()})
	}
}

func equal(got, want interface{}, what string) {
	check(reflect.DeepEqual(got, want), "%s: got %v, want %v", what, got, want)
}

// status runs a call that must fail; returns the HTTP status and the error message.
func status(err error) (int, string) {
	check(err != nil, "the call succeeded, an error was expected")
	var response *gitlab.ErrorResponse
	if errors.As(err, &response) {
		return response.Response.StatusCode, response.Message
	}
	panic(failed{"not an HTTP error: " + err.Error()})
}

func step(name string, body func()) {
	trace.mu.Lock()
	trace.exchanges = nil
	trace.mu.Unlock()
	started := time.Now()
	ok := func() (ok bool) {
		defer func() {
			if r := recover(); r != nil {
				failures++
				fmt.Fprintf(os.Stderr, "FAILED - %s\n", name)
				if f, isFailed := r.(failed); isFailed {
					fmt.Fprintln(os.Stderr, f.message)
				} else {
					fmt.Fprintf(os.Stderr, "%v\n%s\n", r, debug.Stack())
				}
				fmt.Fprintln(os.Stderr, "last HTTP exchanges:")
				trace.mu.Lock()
				for _, exchange := range trace.exchanges {
					fmt.Fprintln(os.Stderr, exchange)
				}
				trace.mu.Unlock()
				ok = false
			}
		}()
		body()
		return true
	}()
	if !ok {
		if !keepGoing {
			os.Exit(1)
		}
		return
	}
	fmt.Printf("ok - %s (%d ms)\n", name, time.Since(started).Milliseconds())
}

// withSHA passes the service's `sha` extension parameter (the MR's HEAD commit) in the query string.
func withSHA(sha string) gitlab.RequestOptionFunc {
	return func(req *retryablehttp.Request) error {
		query := req.URL.Query()
		query.Set("sha", sha)
		req.URL.RawQuery = query.Encode()
		return nil
	}
}

func sha(digit string) string { return strings.Repeat(digit, 40) }

func ids(checks []*gitlab.ProjectStatusCheck) []int {
	result := []int{}
	for _, c := range checks {
		result = append(result, c.ID)
	}
	sort.Ints(result)
	return result
}

func sorted(values ...int) []int {
	sort.Ints(values)
	return values
}

func main() {
	if adminToken == "" {
		fmt.Fprintln(os.Stderr, "STATUSCHECKS_ADMIN_TOKEN is not set")
		os.Exit(2)
	}
	suffix := fmt.Sprintf("%x", time.Now().UnixNano())
	admin := newClient(adminToken)

	var (
		project                   *gitlab.Project
		main, release             *gitlab.ProtectedBranch
		developer                 *gitlab.User
		api                       *gitlab.Client
		mr                        *gitlab.MergeRequest
		scoped, unscoped, rescope *gitlab.ProjectStatusCheck
	)

	step("GET /user and GET /version", func() {
		me, _, err := admin.Users.CurrentUser()
		must(err)
		check(me.ID > 0, "GET /user: no id")
		version, _, err := admin.Version.GetVersion()
		must(err)
		check(version.Version != "", "GET /version: no version")
	})

	step("admin creates a project", func() {
		var err error
		project, _, err = admin.Projects.CreateProject(&gitlab.CreateProjectOptions{
			Name:        gitlab.String("go-gitlab-" + suffix),
			Description: gitlab.String("go-gitlab end to end"),
			Visibility:  gitlab.Visibility(gitlab.PrivateVisibility),
		})
		must(err)
		equal(project.Name, "go-gitlab-"+suffix, "project name")
	})

	step("admin protects main and release/*", func() {
		var err error
		main, _, err = admin.ProtectedBranches.ProtectRepositoryBranches(project.ID, &gitlab.ProtectRepositoryBranchesOptions{Name: gitlab.String("main")})
		must(err)
		release, _, err = admin.ProtectedBranches.ProtectRepositoryBranches(project.ID, &gitlab.ProtectRepositoryBranchesOptions{Name: gitlab.String("release/*")})
		must(err)
		all, _, err := admin.ProtectedBranches.ListProtectedBranches(project.ID, nil)
		must(err)
		check(len(all) == 2, "protected branches: got %d, want 2", len(all))
	})

	step("admin gets a protected branch by name", func() {
		shown, _, err := admin.ProtectedBranches.GetProtectedBranch(project.ID, "release/*")
		must(err)
		equal(shown.ID, release.ID, "protected branch id")
	})

	step("admin creates a developer, a token and a membership (expires_at: null)", func() {
		var err error
		developer, _, err = admin.Users.CreateUser(&gitlab.CreateUserOptions{
			Username: gitlab.String("dev-" + suffix), Name: gitlab.String("Dev Eloper"),
			Email: gitlab.String("dev-" + suffix + "@example.com"), Password: gitlab.String("not-used-here-42"),
			SkipConfirmation: gitlab.Bool(true),
		})
		must(err)
		token, _, err := admin.Users.CreatePersonalAccessToken(developer.ID, &gitlab.CreatePersonalAccessTokenOptions{
			Name: gitlab.String("ci"), Scopes: &[]string{"api"},
		})
		must(err)
		check(token.Token != "", "the token is shown once on creation")
		member, _, err := admin.ProjectMembers.AddProjectMember(project.ID, &gitlab.AddProjectMemberOptions{
			UserID: developer.ID, AccessLevel: gitlab.AccessLevel(gitlab.DeveloperPermissions),
		})
		must(err)
		equal(member.AccessLevel, gitlab.DeveloperPermissions, "member access level")
		api = newClient(token.Token)
	})

	step("get the user, the member, the developer's own user; edit the member (expires_at: null)", func() {
		shown, _, err := admin.Users.GetUser(developer.ID, gitlab.GetUsersOptions{})
		must(err)
		equal(shown.Username, "dev-"+suffix, "username")
		member, _, err := admin.ProjectMembers.GetProjectMember(project.ID, developer.ID)
		must(err)
		equal(member.AccessLevel, gitlab.DeveloperPermissions, "member access level")
		edited, _, err := admin.ProjectMembers.EditProjectMember(project.ID, developer.ID, &gitlab.EditProjectMemberOptions{
			AccessLevel: gitlab.AccessLevel(gitlab.DeveloperPermissions),
		})
		must(err)
		equal(edited.AccessLevel, gitlab.DeveloperPermissions, "edited access level")
		me, _, err := api.Users.CurrentUser()
		must(err)
		equal(me.ID, developer.ID, "the developer's GET /user")
	})

	step("developer opens an MR into main", func() {
		var err error
		mr, _, err = api.MergeRequests.CreateMergeRequest(project.ID, &gitlab.CreateMergeRequestOptions{
			SourceBranch: gitlab.String("feature/login"), TargetBranch: gitlab.String("main"), Title: gitlab.String("Add login"),
		}, withSHA(sha("a")))
		must(err)
		equal(mr.State, "opened", "MR state")
		equal(mr.IID, 1, "MR iid")
	})

	checksByName := func() map[string]*gitlab.ProjectStatusCheck {
		all, _, err := admin.ExternalStatusChecks.ListProjectStatusChecks(project.ID, &gitlab.ListOptions{PerPage: 100})
		must(err)
		byName := map[string]*gitlab.ProjectStatusCheck{}
		for _, c := range all {
			byName[c.Name] = c
		}
		return byName
	}

	step("admin creates a check scoped to main, an unscoped one, one to rescope", func() {
		_, err := admin.ExternalStatusChecks.CreateExternalStatusCheck(project.ID, &gitlab.CreateExternalStatusCheckOptions{
			Name: gitlab.String("Security scan"), ExternalURL: gitlab.String("http://127.0.0.1:9/scan?token=abc"),
			ProtectedBranchIDs: &[]int{main.ID},
		})
		must(err)
		_, err = admin.ExternalStatusChecks.CreateExternalStatusCheck(project.ID, &gitlab.CreateExternalStatusCheckOptions{
			Name: gitlab.String("Licence scan"), ExternalURL: gitlab.String("http://127.0.0.1:9/licence"),
		})
		must(err)
		_, err = admin.ExternalStatusChecks.CreateExternalStatusCheck(project.ID, &gitlab.CreateExternalStatusCheckOptions{
			Name: gitlab.String("Release gate"), ExternalURL: gitlab.String("http://127.0.0.1:9/release"),
			ProtectedBranchIDs: &[]int{main.ID},
		})
		must(err)
		byName := checksByName()
		scoped, unscoped, rescope = byName["Security scan"], byName["Licence scan"], byName["Release gate"]
		check(scoped != nil && unscoped != nil && rescope != nil, "the project's checks: %v", byName)
		check(len(scoped.ProtectedBranches) == 1 && scoped.ProtectedBranches[0].ID == main.ID, "scoped to main: %+v", scoped.ProtectedBranches)
		check(len(unscoped.ProtectedBranches) == 0, "unscoped: %+v", unscoped.ProtectedBranches)
	})

	step("admin rescopes a check to release/*; the list shows it", func() {
		_, err := admin.ExternalStatusChecks.UpdateExternalStatusCheck(project.ID, rescope.ID, &gitlab.UpdateExternalStatusCheckOptions{
			Name: gitlab.String("Release gate v2"), ProtectedBranchIDs: &[]int{release.ID},
		})
		must(err)
		rescoped := checksByName()["Release gate v2"]
		check(rescoped != nil && rescoped.ID == rescope.ID, "the renamed check is listed")
		check(len(rescoped.ProtectedBranches) == 1 && rescoped.ProtectedBranches[0].Name == "release/*", "rescoped: %+v", rescoped.ProtectedBranches)
		all, _, err := admin.ExternalStatusChecks.ListProjectStatusChecks(project.ID, nil)
		must(err)
		equal(ids(all), sorted(scoped.ID, unscoped.ID, rescope.ID), "the project's checks")
	})

	step("a developer may not manage checks (401)", func() {
		_, err := api.ExternalStatusChecks.CreateExternalStatusCheck(project.ID, &gitlab.CreateExternalStatusCheckOptions{
			Name: gitlab.String("Sneaky"), ExternalURL: gitlab.String("http://127.0.0.1:9/sneaky"),
		})
		code, _ := status(err)
		equal(code, 401, "create as a developer")
		_, _, err = api.ExternalStatusChecks.ListProjectStatusChecks(project.ID, nil)
		code, _ = status(err)
		equal(code, 401, "list as a developer")
	})

	mrStatuses := func() map[int]*gitlab.MergeStatusCheck {
		list, _, err := api.ExternalStatusChecks.ListMergeStatusChecks(project.ID, mr.IID, nil)
		must(err)
		byID := map[int]*gitlab.MergeStatusCheck{}
		for _, c := range list {
			byID[c.ID] = c
		}
		return byID
	}
	respond := func(check *gitlab.ProjectStatusCheck, headSHA string, state string) error {
		opt := &gitlab.SetExternalStatusCheckStatusOptions{SHA: gitlab.String(headSHA), ExternalStatusCheckID: gitlab.Int(check.ID)}
		if state != "" {
			opt.Status = gitlab.String(state)
		}
		_, err := api.ExternalStatusChecks.SetExternalStatusCheckStatus(project.ID, mr.IID, opt)
		return err
	}

	step("the MR lists the checks that apply to main, pending, URLs without query", func() {
		listed := mrStatuses()
		check(len(listed) == 2 && listed[scoped.ID] != nil && listed[unscoped.ID] != nil, "the MR's checks: %v", listed)
		equal(listed[scoped.ID].Status, "pending", "scoped status")
		equal(listed[unscoped.ID].Status, "pending", "unscoped status")
		equal(listed[scoped.ID].ExternalURL, "http://127.0.0.1:9/scan", "external_url shown to a developer")
	})

	step("post passed and failed; the list shows them", func() {
		must(respond(scoped, sha("a"), "passed"))
		must(respond(unscoped, sha("a"), "failed"))
		listed := mrStatuses()
		equal(listed[scoped.ID].Status, "passed", "scoped status")
		equal(listed[unscoped.ID].Status, "failed", "unscoped status")
	})

	step("a response on a stale sha answers 409 naming the HEAD", func() {
		code, message := status(respond(scoped, sha("0"), "passed"))
		equal(code, 409, "stale sha")
		check(strings.Contains(message, sha("a")), "the 409 names the HEAD sha: %s", message)
	})

	step("retry the failed check: pending again", func() {
		req, err := api.NewRequest(http.MethodPost,
			fmt.Sprintf("projects/%d/merge_requests/%d/status_checks/%d/retry", project.ID, mr.IID, unscoped.ID), nil, nil)
		must(err)
		resp, err := api.Do(req, nil)
		must(err)
		equal(resp.StatusCode, 202, "retry status")
		listed := mrStatuses()
		equal(listed[unscoped.ID].Status, "pending", "retried status")
		equal(listed[scoped.ID].Status, "passed", "scoped status")
	})

	step("post pending explicitly", func() {
		must(respond(scoped, sha("a"), "pending"))
		equal(mrStatuses()[scoped.ID].Status, "pending", "scoped status")
	})

	step("merge gating: setting on, a pending check blocks the merge (405, body null)", func() {
		req, err := admin.NewRequest(http.MethodPut, fmt.Sprintf("projects/%d", project.ID),
			&struct {
				OnlyAllowMergeIfAllStatusChecksPassed *bool `json:"only_allow_merge_if_all_status_checks_passed,omitempty"`
			}{gitlab.Bool(true)}, nil)
		must(err)
		settings := map[string]interface{}{}
		_, err = admin.Do(req, &settings)
		must(err)
		equal(settings["only_allow_merge_if_all_status_checks_passed"], true, "project setting")
		_, _, err = api.MergeRequests.AcceptMergeRequest(project.ID, mr.IID, nil)
		code, _ := status(err)
		equal(code, 405, "merge while a check is pending")
	})

	step("a new commit resets the checks; the old sha is stale", func() {
		edited, _, err := api.MergeRequests.UpdateMergeRequest(project.ID, mr.IID, &gitlab.UpdateMergeRequestOptions{}, withSHA(sha("b")))
		must(err)
		equal(edited.SHA, sha("b"), "new sha")
		must(respond(scoped, sha("b"), "passed"))
		code, _ := status(respond(unscoped, sha("a"), ""))
		equal(code, 409, "old sha")
		listed := mrStatuses()
		equal(listed[scoped.ID].Status, "passed", "scoped status")
		equal(listed[unscoped.ID].Status, "pending", "unscoped status")
	})

	step("all checks passed: the MR merges", func() {
		must(respond(unscoped, sha("b"), "")) // no status: GitLab 14.1 clients send none, and it means passed
		merged, _, err := api.MergeRequests.AcceptMergeRequest(project.ID, mr.IID, &gitlab.AcceptMergeRequestOptions{
			SHA: gitlab.String(sha("b")), ShouldRemoveSourceBranch: gitlab.Bool(true),
		})
		must(err)
		equal(merged.State, "merged", "MR state")
		list, _, err := api.MergeRequests.ListProjectMergeRequests(project.ID, &gitlab.ListProjectMergeRequestsOptions{State: gitlab.String("merged")})
		must(err)
		check(len(list) == 1 && list[0].IID == mr.IID, "merged MRs: %d", len(list))
	})

	step("admin removes a check", func() {
		_, err := admin.ExternalStatusChecks.DeleteExternalStatusCheck(project.ID, rescope.ID)
		must(err)
		_, gone := checksByName()["Release gate v2"]
		check(!gone, "the removed check is still listed")
	})

	// Checks and MRs in separate projects: every check applies to every MR of its project, and each pair is a
	// notification.
	const many = 105
	var big, busy *gitlab.Project
	var bigMR *gitlab.MergeRequest
	step(fmt.Sprintf("pagination: %d checks on one project, then an MR", many), func() {
		var err error
		big, _, err = admin.Projects.CreateProject(&gitlab.CreateProjectOptions{Name: gitlab.String("go-gitlab-checks-" + suffix)})
		must(err)
		for i := 0; i < many; i++ {
			_, err := admin.ExternalStatusChecks.CreateExternalStatusCheck(big.ID, &gitlab.CreateExternalStatusCheckOptions{
				Name: gitlab.String(fmt.Sprintf("check %d", i)), ExternalURL: gitlab.String(fmt.Sprintf("http://127.0.0.1:9/check/%d", i)),
			})
			must(err)
		}
		bigMR, _, err = admin.MergeRequests.CreateMergeRequest(big.ID, &gitlab.CreateMergeRequestOptions{
			SourceBranch: gitlab.String("feature/many"), TargetBranch: gitlab.String("main"), Title: gitlab.String("Many checks"),
		}, withSHA(sha("c")))
		must(err)
	})

	step("pagination: every project check across pages (NextPage)", func() {
		seen := map[int]bool{}
		opt := &gitlab.ListOptions{PerPage: 100, Page: 1}
		for pages := 0; ; pages++ {
			check(pages < 5, "more pages than expected")
			page, resp, err := admin.ExternalStatusChecks.ListProjectStatusChecks(big.ID, opt)
			must(err)
			for _, c := range page {
				seen[c.ID] = true
			}
			if opt.Page == 1 {
				equal(resp.TotalItems, many, "X-Total")
				equal(resp.TotalPages, 2, "X-Total-Pages")
			}
			if resp.NextPage == 0 {
				break
			}
			opt.Page = resp.NextPage
		}
		equal(len(seen), many, "checks seen")
	})

	step("pagination: every check of one MR across pages", func() {
		total := 0
		opt := &gitlab.ListOptions{PerPage: 100, Page: 1}
		for pages := 0; ; pages++ {
			check(pages < 5, "more pages than expected")
			page, resp, err := admin.ExternalStatusChecks.ListMergeStatusChecks(big.ID, bigMR.IID, opt)
			must(err)
			for _, c := range page {
				equal(c.Status, "pending", "status")
			}
			total += len(page)
			if resp.NextPage == 0 {
				break
			}
			opt.Page = resp.NextPage
		}
		equal(total, many, "the MR's checks")
	})

	step("pagination: MRs of another project across pages; filters", func() {
		var err error
		busy, _, err = admin.Projects.CreateProject(&gitlab.CreateProjectOptions{Name: gitlab.String("go-gitlab-mrs-" + suffix)})
		must(err)
		for i := 1; i <= 5; i++ {
			_, _, err := admin.MergeRequests.CreateMergeRequest(busy.ID, &gitlab.CreateMergeRequestOptions{
				SourceBranch: gitlab.String(fmt.Sprintf("feature/%d", i)), TargetBranch: gitlab.String("main"), Title: gitlab.String(fmt.Sprintf("MR %d", i)),
			}, withSHA(sha("d")))
			must(err)
		}
		iids := []int{}
		opt := &gitlab.ListProjectMergeRequestsOptions{State: gitlab.String("opened"), ListOptions: gitlab.ListOptions{PerPage: 2, Page: 1}}
		for pages := 0; ; pages++ {
			check(pages < 5, "more pages than expected")
			page, resp, err := admin.MergeRequests.ListProjectMergeRequests(busy.ID, opt)
			must(err)
			for _, m := range page {
				iids = append(iids, m.IID)
			}
			if resp.NextPage == 0 {
				break
			}
			opt.Page = resp.NextPage
		}
		equal(iids, []int{5, 4, 3, 2, 1}, "MRs newest first")
		byBranch, _, err := admin.MergeRequests.ListProjectMergeRequests(busy.ID, &gitlab.ListProjectMergeRequestsOptions{SourceBranch: gitlab.String("feature/1")})
		must(err)
		check(len(byBranch) == 1 && byBranch[0].SourceBranch == "feature/1", "source_branch filter: %d", len(byBranch))
	})

	if failures > 0 {
		fmt.Fprintf(os.Stderr, "go-gitlab: %d step(s) failed\n", failures)
		os.Exit(1)
	}
	fmt.Println("go-gitlab: all steps passed")
}
