// The dashboard's Visits tab (issue 22) in chromium against a real server: a
// day of visits across desks driven through the API — a next step, a park and
// its return, a chosen call with its reason, outcomes, sign-in and out, a
// break — then the tab's tables equal the API's JSON row by row (steps, whole
// visits, outcomes by procedure, the out-of-order list and every caller's
// count, the staff figures), and each CSV link downloads the API's CSV.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { open, screenshots, signIn, stage } from './harness.js';

let server, browser, manager, day;
const reason = 'Người dùng máy trợ thính';

// lib/format.ts, as the page shows numbers.
const minutes = (s) => (s / 60).toFixed(1);
function duration(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}
const total = (s) => duration(s * 1000);

async function ok(path, body, token) {
  const r = await server.call('POST', path, body, token);
  assert.ok(r.status === 200 || r.status === 201, `${path}: ${r.text}`);
  return r.json;
}

// A's visits go on to B, which asks for the outcome; counter 1 serves A, 3 serves B, 5 serves C.
stage(async (started, chromium) => {
  server = started;
  browser = chromium;
  manager = await server.token('manager', server.creds.manager.password);
  const admin = await server.admin();
  const center = (await server.call('GET', '/api/admin/center', undefined, admin)).json;
  center.services.find((s) => s.code === 'A').next_steps = ['B'];
  center.services.find((s) => s.code === 'B').outcome = 'required';
  assert.equal((await server.call('PUT', '/api/admin/center', center, admin)).status, 200);
  const [s1, s3, s5] = await Promise.all([1, 3, 5].map((k) => server.token(server.staff(k).user, server.staff(k).password)));
  for (const [k, token] of [[1, s1], [3, s3], [5, s5]]) await ok(`/api/counters/${k}/sign-in`, {}, token);
  const a1 = await server.issue('A'), a2 = await server.issue('A');
  await server.issue('C');
  const c2 = await server.issue('C');
  const t = (x, verb) => `/api/tickets/${x.id}/${verb}`;
  // A001: desk A, then B — parked there for a paper, back, finished with its outcome.
  assert.equal((await ok('/api/counters/1/next', {}, s1)).ticket.id, a1.id);
  await ok(t(a1, 'start'), {}, s1);
  await ok(t(a1, 'finish'), {}, s1);
  assert.equal((await ok('/api/counters/3/next', {}, s3)).ticket.id, a1.id);
  await ok(t(a1, 'start'), {}, s3);
  await ok(t(a1, 'park'), { minutes: 10, reason: 'Đi bổ sung giấy tờ' }, s3);
  await ok(t(a1, 'return'), {}, s3);
  await ok(t(a1, 'finish'), { outcome: { procedure: '1.001193', dossier: '000.00.01.H29-261124-0009', result: 'received' } }, s3);
  // C002 before C001, with its reason; an outcome said where none is asked.
  await ok('/api/counters/5/call', { ticket: c2.id, reason }, s5);
  await ok(t(c2, 'start'), {}, s5);
  await ok(t(c2, 'finish'), { outcome: { procedure: '1.000894', result: 'advised_only' } }, s5);
  await ok('/api/counters/5/pause', { reason: 'Nghỉ giải lao' }, s5);
  await ok('/api/counters/5/resume', {}, s5);
  // A002: desk A done, waiting at B.
  assert.equal((await ok('/api/counters/1/next', {}, s1)).ticket.id, a2.id);
  await ok(t(a2, 'finish'), {}, s1);
  // Everyone signs out: no shift runs on between the API's answer and the page's.
  for (const [k, token] of [[1, s1], [3, s3], [5, s5]]) await ok(`/api/counters/${k}/sign-out`, {}, token);
  day = (await server.call('GET', '/healthz')).json.day;
});

const get = async (route, extra = '') => (await server.call('GET', `/api/stats/${route}?from=${day}&to=${day}${extra}`, undefined, manager));

async function visitsTab() {
  const page = await open(browser, server, '/dashboard/');
  await signIn(page, 'manager', server.creds.manager.password);
  await page.click('nav.tabs button[data-tab=visits]');
  await page.waitForSelector('[data-view=visits] table[data-table=staff]');
  return page;
}

// The cells of one row, by data-col, equal what `expected` says.
async function row(page, selector, expected, what) {
  const tr = page.locator(selector);
  assert.equal(await tr.count(), 1, `${what}: one row ${selector}`);
  for (const [col, text] of Object.entries(expected))
    assert.equal(await tr.locator(`[data-col=${col}]`).innerText(), String(text), `${what} ${col}`);
}

const rowsOf = async (page, table) => page.locator(`table[data-table=${table}] tbody tr`).count();

test("the Visits tab shows the API's steps, visits and outcomes per procedure row by row", async () => {
  const page = await visitsTab();
  const visits = (await get('visits')).json;
  const b = visits.steps.find((r) => r.service === 'B');
  assert.deepEqual([b.steps, b.served, b.parks], [2, 1, 1], 'the day above: two steps at B, one served, one park');
  assert.equal(await rowsOf(page, 'steps'), visits.steps.length);
  for (const r of visits.steps)
    await row(page, `table[data-table=steps] tr[data-service="${r.total ? 'total' : r.service}"]`, {
      steps: r.steps, called: r.called, served: r.served, no_show: r.no_show, wait_avg: minutes(r.wait_avg_s),
      wait_median: minutes(r.wait_median_s), wait_p90: minutes(r.wait_p90_s), service_avg: minutes(r.service_avg_s),
      parks: r.parks, parked: total(r.parked_s) }, `steps ${r.service}`);
  assert.equal(await rowsOf(page, 'visits'), visits.visits.length);
  for (const r of visits.visits)
    await row(page, `table[data-table=visits] tr[data-steps="${r.steps}"]`, {
      visits: r.visits, completed: r.completed, time_avg: minutes(r.time_avg_s), time_median: minutes(r.time_median_s),
      time_p90: minutes(r.time_p90_s) }, `visits of ${r.steps} steps`);

  const outcomes = (await get('outcomes')).json.rows;
  assert.equal(outcomes.at(-1).outcomes, 2);
  assert.equal(await rowsOf(page, 'outcomes'), outcomes.length);
  for (const r of outcomes) {
    const { procedure, total: _, ...counts } = r;
    await row(page, `table[data-table=outcomes] tr[data-procedure="${r.total ? 'total' : procedure}"]`, counts, `outcomes ${procedure}`);
  }
  // The catalog's name beside the code.
  assert.match(await page.locator('table[data-table=outcomes] tr[data-procedure="1.001193"] td').first().innerText(), /1\.001193 — Đăng ký khai sinh/);
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, 'dashboard-visits-1366x768.png'), fullPage: true });
  await page.context().close();
});

test("the Visits tab shows the API's out-of-order list, every caller's count and the staff figures row by row", async () => {
  const page = await visitsTab();
  const ooo = (await get('out-of-order')).json;
  assert.equal(ooo.rows.length, 1);
  assert.equal(ooo.rows[0].reason, reason);
  assert.equal(await rowsOf(page, 'out-of-order'), ooo.rows.length);
  for (const c of ooo.rows)
    await row(page, `table[data-table=out-of-order] tr[data-at="${c.at}"]`, { time: c.time, number: c.number, service: c.service,
                                                                              staff: c.staff, reason: c.reason }, `call ${c.number}`);
  assert.equal(await rowsOf(page, 'callers'), ooo.by_staff.length);
  for (const c of ooo.by_staff)
    await row(page, `table[data-table=callers] tr[data-staff="${c.staff}"]`, { calls: c.calls, out_of_order: c.out_of_order }, c.staff);

  const staff = (await get('staff')).json.rows;
  assert.equal(staff.at(-1).breaks, 1);
  assert.equal(await rowsOf(page, 'staff'), staff.length);
  for (const r of staff) {
    const reasons = r.break_reasons.map((b) => `${b.reason || 'không lý do'} (${b.breaks}): ${total(b.seconds)}`).join('; ');
    await row(page, `table[data-table=staff] tr[data-staff="${r.staff}"][data-counter="${r.counter}"]`, {
      calls: r.calls, served: r.served, service_avg: minutes(r.service_avg_s), walk_avg: minutes(r.walk_avg_s), idle: total(r.idle_s),
      out_of_order: r.out_of_order, signed_in: total(r.signed_in_s), breaks: r.breaks, break: total(r.break_s), break_reasons: reasons,
    }, `staff ${r.staff} at ${r.counter}`);
  }
  await page.context().close();
});

test("each of the Visits tab's CSV links downloads the API's CSV", async () => {
  const page = await visitsTab();
  const exports = [['visit-steps', 'visits', ''], ['visits', 'visits', '&table=visits'], ['outcomes', 'outcomes', ''],
                   ['out-of-order', 'out-of-order', ''], ['staff', 'staff', '']];
  for (const [name, route, extra] of exports) {
    const [file] = await Promise.all([page.waitForEvent('download'), page.click(`button[data-export=${name}]`)]);
    const csv = Buffer.concat(await (await file.createReadStream()).toArray()).toString('utf8');
    const api = await get(route, `&format=csv${extra}`);
    assert.equal(api.status, 200);
    assert.equal(csv, api.text, name);
    assert.equal(file.suggestedFilename(), `${name}-${day}-${day}.csv`);
  }
  await page.context().close();
});
