// Drives the seed routes (External Status Checks) end to end with stock gitbeaker (@gitbeaker/rest, pinned in
// package-lock.json), the way a gitbeaker user would. Exits non-zero on the first failed step and prints the
// step, the error and the last HTTP exchanges.
//
//   STATUSCHECKS_URL=http://127.0.0.1:7071 STATUSCHECKS_ADMIN_TOKEN=$(cat .local/admin-token) \
//     node tests/clients/gitbeaker/seed-routes.mjs
import assert from 'node:assert/strict';
import { Gitlab } from '@gitbeaker/rest';

const host = (process.env.STATUSCHECKS_URL ?? 'http://127.0.0.1:7071').replace(/\/+$/, '');
const adminToken = process.env.STATUSCHECKS_ADMIN_TOKEN;
if (!adminToken) {
  console.error('STATUSCHECKS_ADMIN_TOKEN is not set');
  process.exit(2);
}

// A trace of the HTTP exchanges, printed when a step fails: it only observes, the library's requests are unchanged.
const exchanges = [];
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const request = input instanceof Request ? input : new Request(input, init);
  const sent = await request.clone().text().catch(() => '');
  const response = await realFetch(input, init);
  const received = await response.clone().text().catch(() => '');
  exchanges.push(`${request.method} ${request.url}\n  sent: ${sent || '(no body)'}\n  got: ${response.status} `
    + `${response.headers.get('content-type') ?? '(no content-type)'} ${received.slice(0, 600)}`);
  if (exchanges.length > 6) exchanges.shift();
  return response;
};

// STATUSCHECKS_KEEP_GOING=1 reports every failed step instead of stopping at the first (later steps may then
// fail because an earlier one did).
const keepGoing = process.env.STATUSCHECKS_KEEP_GOING === '1';
let failures = 0;
async function step(name, body) {
  const started = Date.now();
  exchanges.length = 0;
  try {
    await body();
  } catch (error) {
    failures += 1;
    console.error(`FAILED - ${name}`);
    console.error(error?.stack ?? String(error));
    if (error?.cause?.description !== undefined) console.error(`error description: ${error.cause.description}`);
    console.error('last HTTP exchanges:');
    for (const exchange of exchanges) console.error(exchange);
    if (!keepGoing) process.exit(1);
    return;
  }
  console.log(`ok - ${name} (${Date.now() - started} ms)`);
}

// Runs a call that must fail; returns the HTTP status and the parsed error body.
async function failure(call) {
  try {
    await call();
  } catch (error) {
    const response = error?.cause?.response;
    if (!response) throw error;
    return { status: response.status, description: error.cause.description };
  }
  assert.fail('the call succeeded, an error was expected');
}

const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
const sha = (digit) => digit.repeat(40);
const admin = new Gitlab({ host, token: adminToken });

{
  let project;
  let main;
  let release;
  let developer;
  let api; // the developer's client
  let mr;
  let scoped;
  let unscoped;
  let rescoped;

  await step('GET /user answers the admin token\'s user', async () => {
    const me = await admin.Users.showCurrentUser();
    assert.equal(typeof me.id, 'number');
    assert.equal(typeof me.username, 'string');
  });

  await step('admin creates a project', async () => {
    project = await admin.Projects.create({ name: `gitbeaker-${suffix}`, visibility: 'private', description: 'gitbeaker end to end' });
    assert.equal(project.name, `gitbeaker-${suffix}`);
  });

  await step('admin protects main and release/*', async () => {
    main = await admin.ProtectedBranches.create(project.id, 'main');
    release = await admin.ProtectedBranches.create(project.id, 'release/*');
    assert.equal(main.name, 'main');
    const all = await admin.ProtectedBranches.all(project.id);
    assert.deepEqual(all.map((b) => b.name).sort(), ['main', 'release/*']);
  });

  await step('admin shows a protected branch by name', async () => {
    const shown = await admin.ProtectedBranches.show(project.id, 'release/*');
    assert.equal(shown.id, release.id);
  });

  await step('admin creates a developer, a token and a membership', async () => {
    developer = await admin.Users.create({
      username: `dev-${suffix}`, name: 'Dev Eloper', email: `dev-${suffix}@example.com`, password: 'not-used-here-42', skipConfirmation: true,
    });
    const token = await admin.PersonalAccessTokens.create(developer.id, 'ci', ['api']);
    assert.ok(token.token, 'the token is shown once on creation');
    const member = await admin.ProjectMembers.add(project.id, 30, { userId: developer.id });
    assert.equal(member.access_level, 30);
    api = new Gitlab({ host, token: token.token });
  });

  await step('show the user, the member and the developer\'s own user', async () => {
    const shown = await admin.Users.show(developer.id);
    assert.equal(shown.username, `dev-${suffix}`);
    const shownMember = await admin.ProjectMembers.show(project.id, developer.id);
    assert.equal(shownMember.id, developer.id);
    assert.equal(shownMember.access_level, 30);
    const me = await api.Users.showCurrentUser();
    assert.equal(me.id, developer.id);
  });

  await step('developer opens an MR into main', async () => {
    mr = await api.MergeRequests.create(project.id, 'feature/login', 'main', 'Add login', { sha: sha('a') });
    assert.equal(mr.state, 'opened');
    assert.equal(mr.iid, 1);
  });

  await step('admin creates a check scoped to main (protectedBrancheIds)', async () => {
    scoped = await admin.ExternalStatusChecks.create(project.id, 'Security scan', 'http://127.0.0.1:9/scan?token=abc',
      { protectedBrancheIds: [main.id] });
    assert.equal(scoped.name, 'Security scan');
    assert.deepEqual(scoped.protected_branches.map((b) => b.id), [main.id]);
  });

  await step('admin creates an unscoped check and one to rescope', async () => {
    unscoped = await admin.ExternalStatusChecks.create(project.id, 'Licence scan', 'http://127.0.0.1:9/licence');
    assert.deepEqual(unscoped.protected_branches, []);
    rescoped = await admin.ExternalStatusChecks.create(project.id, 'Release gate', 'http://127.0.0.1:9/release',
      { protectedBrancheIds: [main.id] });
  });

  await step('admin rescopes a check to release/* (edit with protectedBrancheIds)', async () => {
    const edited = await admin.ExternalStatusChecks.edit(project.id, rescoped.id,
      { protectedBrancheIds: [release.id], name: 'Release gate v2' });
    assert.equal(edited.name, 'Release gate v2');
    assert.deepEqual(edited.protected_branches.map((b) => b.name), ['release/*']);
  });

  await step('admin lists the project\'s checks', async () => {
    const checks = await admin.ExternalStatusChecks.all(project.id);
    assert.deepEqual(checks.map((c) => c.id).sort((a, b) => a - b), [scoped.id, unscoped.id, rescoped.id].sort((a, b) => a - b));
    const byId = Object.fromEntries(checks.map((c) => [c.id, c]));
    assert.deepEqual(byId[rescoped.id].protected_branches.map((b) => b.id), [release.id]);
  });

  await step('a developer may not manage checks (401)', async () => {
    const { status } = await failure(() => api.ExternalStatusChecks.create(project.id, 'Sneaky', 'http://127.0.0.1:9/sneaky'));
    assert.equal(status, 401);
    const listed = await failure(() => api.ExternalStatusChecks.all(project.id));
    assert.equal(listed.status, 401);
  });

  const mrChecks = async () => {
    const list = await api.ExternalStatusChecks.all(project.id, { mergerequestIId: mr.iid });
    return Object.fromEntries(list.map((c) => [c.id, c]));
  };

  await step('the MR lists the checks that apply to main, pending, URLs without query', async () => {
    const checks = await mrChecks();
    assert.deepEqual(Object.keys(checks).map(Number).sort((a, b) => a - b), [scoped.id, unscoped.id].sort((a, b) => a - b));
    assert.equal(checks[scoped.id].status, 'pending');
    assert.equal(checks[unscoped.id].status, 'pending');
    assert.equal(checks[scoped.id].external_url, 'http://127.0.0.1:9/scan');
  });

  await step('post passed and failed; the list shows them', async () => {
    const response = await api.ExternalStatusChecks.set(project.id, mr.iid, sha('a'), scoped.id, { status: 'passed' });
    assert.equal(response.external_status_check.id, scoped.id);
    assert.equal(response.merge_request.iid, mr.iid);
    await api.ExternalStatusChecks.set(project.id, mr.iid, sha('a'), unscoped.id, { status: 'failed' });
    const checks = await mrChecks();
    assert.equal(checks[scoped.id].status, 'passed');
    assert.equal(checks[unscoped.id].status, 'failed');
  });

  await step('a response on a stale sha answers 409 naming the HEAD', async () => {
    const { status, description } = await failure(
      () => api.ExternalStatusChecks.set(project.id, mr.iid, sha('0'), scoped.id, { status: 'passed' }));
    assert.equal(status, 409);
    assert.match(description, new RegExp(sha('a')));
  });

  await step('retry the failed check: pending again', async () => {
    // gitbeaker 43 has no method for the retry route: the resource's own requester calls it.
    const response = await api.ExternalStatusChecks.requester.post(
      `projects/${project.id}/merge_requests/${mr.iid}/status_checks/${unscoped.id}/retry`, {});
    assert.equal(response.status, 202);
    const checks = await mrChecks();
    assert.equal(checks[unscoped.id].status, 'pending');
    assert.equal(checks[scoped.id].status, 'passed');
  });

  await step('post pending explicitly', async () => {
    await api.ExternalStatusChecks.set(project.id, mr.iid, sha('a'), scoped.id, { status: 'pending' });
    const checks = await mrChecks();
    assert.equal(checks[scoped.id].status, 'pending');
  });

  await step('merge gating: setting on, a pending check blocks the merge (405)', async () => {
    const edited = await admin.Projects.edit(project.id, { onlyAllowMergeIfAllStatusChecksPassed: true });
    assert.equal(edited.only_allow_merge_if_all_status_checks_passed, true);
    const shown = await api.MergeRequests.show(project.id, mr.iid);
    assert.equal(shown.detailed_merge_status, 'status_checks_must_pass');
    const { status } = await failure(() => api.MergeRequests.accept(project.id, mr.iid));
    assert.equal(status, 405);
  });

  await step('a new commit resets the checks; the old sha is stale', async () => {
    const edited = await api.MergeRequests.edit(project.id, mr.iid, { sha: sha('b') });
    assert.equal(edited.sha, sha('b'));
    await api.ExternalStatusChecks.set(project.id, mr.iid, sha('b'), scoped.id, { status: 'passed' });
    const { status } = await failure(() => api.ExternalStatusChecks.set(project.id, mr.iid, sha('a'), unscoped.id));
    assert.equal(status, 409);
    const checks = await mrChecks();
    assert.equal(checks[scoped.id].status, 'passed');
    assert.equal(checks[unscoped.id].status, 'pending');
  });

  await step('all checks passed: the MR merges', async () => {
    // No status: GitLab 14.1 clients send none, and it means passed.
    await api.ExternalStatusChecks.set(project.id, mr.iid, sha('b'), unscoped.id);
    const shown = await api.MergeRequests.show(project.id, mr.iid);
    assert.equal(shown.detailed_merge_status, 'mergeable');
    const merged = await api.MergeRequests.accept(project.id, mr.iid, { sha: sha('b'), shouldRemoveSourceBranch: true });
    assert.equal(merged.state, 'merged');
    const list = await api.MergeRequests.all({ projectId: project.id, state: 'merged' });
    assert.deepEqual(list.map((m) => m.iid), [mr.iid]);
  });

  await step('admin removes a check', async () => {
    await admin.ExternalStatusChecks.remove(project.id, rescoped.id);
    const checks = await admin.ExternalStatusChecks.all(project.id);
    assert.ok(!checks.some((c) => c.id === rescoped.id));
  });

  // Checks and MRs in separate projects: every check applies to every MR of its project, and each pair is a
  // notification.
  const many = 105;
  let big;
  let bigMr;
  let busy;
  await step(`pagination: ${many} checks on one project, then an MR`, async () => {
    big = await admin.Projects.create({ name: `gitbeaker-checks-${suffix}` });
    for (let start = 0; start < many; start += 8) {
      const batch = [];
      for (let i = start; i < Math.min(start + 8, many); i += 1) {
        batch.push(admin.ExternalStatusChecks.create(big.id, `check ${i}`, `http://127.0.0.1:9/check/${i}`));
      }
      await Promise.all(batch);
    }
    bigMr = (await admin.MergeRequests.create(big.id, 'feature/many', 'main', 'Many checks', { sha: sha('c') })).iid;
  });

  await step('pagination: MRs of another project, two per page', async () => {
    busy = await admin.Projects.create({ name: `gitbeaker-mrs-${suffix}` });
    for (let i = 1; i <= 5; i += 1) {
      await admin.MergeRequests.create(busy.id, `feature/${i}`, 'main', `MR ${i}`, { sha: sha('d') });
    }
  });

  await step('pagination: every project check across pages (perPage 100)', async () => {
    const checks = await admin.ExternalStatusChecks.all(big.id, { perPage: 100 });
    assert.equal(checks.length, many);
    assert.equal(new Set(checks.map((c) => c.id)).size, many);
  });

  await step('pagination: maxPages stops early; showExpanded reports the totals', async () => {
    const firstTwo = await admin.ExternalStatusChecks.all(big.id, { perPage: 50, maxPages: 2 });
    assert.equal(firstTwo.length, 100);
    const { data, paginationInfo } = await admin.ExternalStatusChecks.all(big.id, { perPage: 100, page: 2, showExpanded: true, maxPages: 1 });
    assert.equal(data.length, many - 100);
    assert.equal(paginationInfo.total, many);
    assert.equal(paginationInfo.totalPages, 2);
  });

  await step('pagination: every check of one MR across pages', async () => {
    const checks = await admin.ExternalStatusChecks.all(big.id, { mergerequestIId: bigMr, perPage: 100 });
    assert.equal(checks.length, many);
    assert.ok(checks.every((c) => c.status === 'pending'));
  });

  await step('pagination: every MR across pages; filters', async () => {
    const mrs = await admin.MergeRequests.all({ projectId: busy.id, state: 'opened', perPage: 2 });
    assert.deepEqual(mrs.map((m) => m.iid), [5, 4, 3, 2, 1], 'newest first, across 3 pages');
    const { data, paginationInfo } = await admin.MergeRequests.all({ projectId: busy.id, perPage: 2, page: 3, maxPages: 1, showExpanded: true });
    assert.deepEqual(data.map((m) => m.iid), [1]);
    assert.equal(paginationInfo.total, 5);
    const byBranch = await admin.MergeRequests.all({ projectId: busy.id, sourceBranch: 'feature/1' });
    assert.deepEqual(byBranch.map((m) => m.source_branch), ['feature/1']);
    const none = await admin.MergeRequests.all({ projectId: busy.id, state: 'merged' });
    assert.deepEqual(none, []);
  });
}
if (failures > 0) {
  console.error(`gitbeaker: ${failures} step(s) failed`);
  process.exit(1);
}
console.log('gitbeaker: all steps passed');
