// The manager dashboard and the rating tablet in chromium against a real
// server: live figures follow the stream, a seeded day's statistics on the
// page equal what the API reports, both CSV exports download the server's
// numbers, bad ranges are explained, a server clock that stepped is a warning,
// and a citizen's rating reaches the figures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stage, open, signIn, screenshots, Server } from './harness.js';

let server, browser, manager;
stage(async (started, chromium) => {
  server = started;
  browser = chromium;
  manager = await server.token('manager', server.creds.manager.password);
  // A small morning: six tickets over three services, four called, two finished, one cancelled.
  const staff1 = await server.token(server.staff(1).user, server.staff(1).password);
  const staff3 = await server.token(server.staff(3).user, server.staff(3).password);
  for (const s of ['A', 'A', 'B', 'C', 'A', 'B']) await server.issue(s, s === 'C' ? 'disabled' : 'normal');
  const a = (await server.call('POST', '/api/counters/1/next', {}, staff1)).json.ticket;
  await server.call('POST', `/api/tickets/${a.id}/start`, {}, staff1);
  await server.call('POST', `/api/tickets/${a.id}/finish`, {}, staff1);
  const b = (await server.call('POST', '/api/counters/3/next', {}, staff3)).json.ticket;
  await server.call('POST', `/api/tickets/${b.id}/finish`, {}, staff3);
  await server.call('POST', '/api/counters/1/next', {}, staff1);
  const c = (await server.call('POST', '/api/counters/3/next', {}, staff3)).json.ticket;
  await server.call('POST', `/api/tickets/${c.id}/cancel`, {}, staff3);
  day = (await server.call('GET', '/healthz')).json.day;
});

// A center whose webhook receiver is down (nothing listens on port 9): the
// citizens' messages are delayed, never the queue, and the manager is told.
test('a webhook receiver that is down is an alert on the live view', async () => {
  const failing = new Server({
    toml: (data) => {
      const secret = join(data, 'hook.secret');
      writeFileSync(secret, 'hook-key\n', { mode: 0o600 });
      return `[[phone.sender]]\nkind = "webhook"\nname = "erp"\nurl = "http://127.0.0.1:9/events"\nsecret_file = "${secret}"\ntimeout_seconds = 1\n`;
    },
  });
  failing.logLevel = 'warn';
  const refused = failing.line(/webhook erp: event \d+ not taken/);
  await failing.start();
  try {
    await refused;  // its first failure, recorded before it is logged
    const page = await open(browser, failing, '/dashboard/');
    await signIn(page, 'manager', failing.creds.manager.password);
    const alert = page.locator('.alerts li:has-text("Webhook erp")');
    await alert.waitFor();
    assert.match(await alert.innerText(), /chậm \d+ sự kiện/);
    await page.context().close();
  } finally {
    await failing.stop();
  }
});

// The center's day (its time zone, not this machine's).
let day = 0;
const today = () => day;

async function dashboard() {
  const page = await open(browser, server, '/dashboard/');
  await signIn(page, 'manager', server.creds.manager.password);
  await page.waitForSelector('.link.online');
  return page;
}

test('the live view shows waiting per service, counters with their staff, and follows new tickets', async () => {
  const page = await dashboard();
  const state = (await server.call('GET', '/api/state', undefined, manager)).json;
  for (const s of state.services)
    assert.equal(await page.locator(`tr[data-service="${s.code}"] td[data-waiting]`).innerText(), String(s.waiting), s.code);
  assert.match(await page.locator('tr[data-counter="1"]').innerText(), /staff1/);
  await server.issue('D');
  await page.waitForSelector('tr[data-service="D"] td[data-waiting]:text("1")');
  // Calls per hour so far: today's four calls.
  await page.waitForSelector('.chart canvas');
  // A printer out of paper is an alert at once.
  await server.call('POST', '/api/devices/status', { printer: 'paper_out', detail: 'khay 1' }, server.creds.kiosk_token);
  await page.waitForSelector('.alerts li:has-text("Kiosk demo")');
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, 'dashboard-live-1366x768.png') });
  await page.context().close();
});

test('statistics on the page equal the API for the seeded day, by service, staff and hour', async () => {
  const page = await dashboard();
  await page.click('nav.tabs button:nth-child(2)');
  for (const by of ['service', 'staff', 'hour']) {
    await page.selectOption('select[name=by]', by);
    await page.click('.filters button[type=submit]');
    const api = (await server.call('GET', `/api/stats?from=${today()}&to=${today()}&by=${by}&target=900`, undefined, manager)).json;
    await page.waitForFunction((n) => document.querySelectorAll('table[data-table=stats] tbody tr').length === n, api.rows.length);
    for (const row of api.rows) {
      const tr = page.locator(`table[data-table=stats] tr[data-key="${row.key}"]`);
      assert.equal(await tr.locator('[data-col=issued]').innerText(), String(row.issued), `${by} ${row.key} issued`);
      assert.equal(await tr.locator('[data-col=served]').innerText(), String(row.served), `${by} ${row.key} served`);
      assert.equal(await tr.locator('[data-col=cancelled]').innerText(), String(row.cancelled));
      assert.equal(await tr.locator('[data-col=wait_avg]').innerText(), (row.wait_avg_s / 60).toFixed(1));
    }
  }
  const total = page.locator('table[data-table=stats] tr[data-key=total]');
  assert.equal(await total.locator('[data-col=issued]').innerText(), '7');  // and the D ticket of the live test
  await page.selectOption('select[name=by]', 'service');
  await page.click('.filters button[type=submit]');
  await page.waitForSelector('table.heat td');
  await page.screenshot({ path: join(screenshots, 'dashboard-statistics-1366x768.png'), fullPage: true });
  await page.context().close();
});

test('CSV exports download the server numbers and every ticket of the range', async () => {
  const page = await dashboard();
  await page.click('nav.tabs button:nth-child(2)');
  await page.waitForSelector('table[data-table=stats]');
  const [summary] = await Promise.all([page.waitForEvent('download'), page.click('button[data-export=stats]')]);
  const text = await (await summary.createReadStream()).toArray();
  const csv = Buffer.concat(text).toString('utf8');
  const api = (await server.call('GET', `/api/stats?from=${today()}&to=${today()}&by=service&target=900&format=csv`, undefined, manager)).text;
  assert.equal(csv, api);
  assert.match(csv, /^key,issued,called,served/);

  const [tickets] = await Promise.all([page.waitForEvent('download'), page.click('button[data-export=tickets]')]);
  const raw = Buffer.concat(await (await tickets.createReadStream()).toArray()).toString('utf8');
  const lines = raw.trim().split('\r\n');
  assert.equal(lines.length, 1 + 7);
  assert.match(lines[0], /^day,number,issued_service,service,category/);
  assert.ok(lines.some((l) => l.includes(',done,1,staff1,')), 'the ticket staff1 served, with their name');
  assert.match(tickets.suggestedFilename(), /^tickets-\d{8}-\d{8}\.csv$/);
  await page.context().close();
});

test('a reversed range and a ten-year range are explained on the page', async () => {
  const page = await dashboard();
  await page.click('nav.tabs button:nth-child(2)');
  await page.fill('input[name=from]', '2026-11-30');
  await page.fill('input[name=to]', '2026-11-01');
  await page.click('.filters button[type=submit]');
  await page.waitForSelector('.toast:has-text("reversed")');
  await page.fill('input[name=from]', '2016-01-01');
  await page.fill('input[name=to]', '2026-01-01');
  await page.click('.filters button[type=submit]');
  await page.waitForSelector('.toast:has-text("three years")');
  await page.context().close();
});

// The clock status a server reports, put into the real server's snapshots on
// their way to the page: a test cannot step the machine's clock under it.
async function dashboardWithClock(clock) {
  const page = await open(browser, server, '/dashboard/');
  const route = { clock, send: null };
  await page.routeWebSocket(/\/api\/events/, (ws) => {
    let last = null;
    const patch = (m) => ({ ...m, state: { ...m.state, clock: route.clock } });
    ws.connectToServer().onMessage((message) => {
      const m = JSON.parse(message);
      if (m.type === 'snapshot') last = m;
      ws.send(JSON.stringify(m.type === 'snapshot' ? patch(m) : m));
    });
    route.send = (c) => { route.clock = c; ws.send(JSON.stringify(patch(last))); };
  });
  await signIn(page, 'manager', server.creds.manager.password);
  await page.waitForSelector('.link.online');
  return { page, route };
}

function hhmm(ms) {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

test('a server clock that stepped is a warning above the dashboard, until it is fixed', async () => {
  const plain = await dashboard();
  await plain.waitForSelector('table[data-table=services]');
  assert.equal(await plain.locator('[data-clock-warning]').count(), 0, 'the real server: no step, no warning');
  await plain.context().close();

  const at = Date.now() - 5 * 60_000;
  const { page, route } = await dashboardWithClock({ ahead_of_wall_ms: 600_000, steps: 1, last_step_at_ms: at, last_step_ms: -600_000 });
  const banner = page.locator('[data-clock-warning]');
  await banner.waitFor();
  const vi = await banner.innerText();
  assert.ok(vi.includes(`Đồng hồ máy chủ đã bị chỉnh lùi 10 phút lúc ${hhmm(at)}`), vi);
  assert.ok(vi.includes('giờ hệ thống vẫn chạy tiếp'), vi);
  assert.ok(vi.includes('đi trước đồng hồ máy chủ 10 phút'), vi);
  await page.screenshot({ path: join(screenshots, 'dashboard-clock-warning-1366x768.png') });
  await page.click('.lang button:text("EN")');
  await page.waitForSelector(`[data-clock-warning]:has-text("The server's clock was set back 10 min at ${hhmm(at)}")`);

  // The wall clock set right again a minute ago: said for an hour, then no more.
  route.send({ ahead_of_wall_ms: 0, steps: 2, last_step_at_ms: Date.now() - 60_000, last_step_ms: 600_000 });
  await page.waitForSelector('[data-clock-warning]:has-text("set forward 10 min")');
  assert.ok(!(await banner.innerText()).includes('ahead'));
  route.send({ ahead_of_wall_ms: 0, steps: 2, last_step_at_ms: Date.now() - 2 * 3_600_000, last_step_ms: 600_000 });
  await banner.waitFor({ state: 'detached' });
  await page.context().close();
});

test('the rating tablet asks after finish, takes one rating, and the figures count it', async () => {
  const tablet = await open(browser, server, `/rating/?token=${server.creds.rating_token}`, { width: 1024, height: 600 });
  await tablet.waitForSelector('.tablet[data-mode=idle]');
  assert.equal(new URL(tablet.url()).search, '', 'the token leaves the address bar');
  const staff1 = await server.token(server.staff(1).user, server.staff(1).password);
  const held = (await server.call('GET', '/api/state', undefined, manager)).json.counters[0].ticket;
  await server.call('POST', `/api/tickets/${held.id}/finish`, {}, staff1);
  await tablet.waitForSelector(`.tablet[data-mode=ask] .ticket:text("${held.number}")`);
  mkdirSync(screenshots, { recursive: true });
  await tablet.screenshot({ path: join(screenshots, 'rating-1024x600.png') });
  await tablet.click('.reasons button >> nth=0');
  await tablet.click('button[data-rating=good]');
  await tablet.waitForSelector('.tablet[data-mode=thanks]');
  const again = await server.call('POST', `/api/tickets/${held.id}/rating`, { rating: 'bad' }, server.creds.rating_token);
  assert.equal(again.json.error.code, 'already_rated');
  const total = (await server.call('GET', `/api/stats?from=${today()}`, undefined, manager)).json.rows.at(-1);
  assert.equal(total.rated, 1);
  assert.equal(total.rated_good, 1);
  await tablet.context().close();
});

test('staff may not open the dashboard', async () => {
  const page = await open(browser, server, '/dashboard/');
  await signIn(page, server.staff(2).user, server.staff(2).password);
  await page.waitForSelector('.login .error[role=alert]');
  assert.equal(await page.locator('table').count(), 0);
  await page.context().close();
});
