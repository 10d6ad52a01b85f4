// The province view in chromium: two real centers (two queue-server processes,
// each its own SQLite folder) ship to one real PostgreSQL; a manager of one
// opens the dashboard's Province tab and sees both, with the numbers each hall
// really issued and served. A center that ships nowhere says so.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Server, launch, open, signIn, screenshots } from './harness.js';
import { Postgres } from './postgres.js';

let pg, north, south, alone, browser;

// `n` tickets at a center, the first `served` of them called, started and finished at counter 1.
async function work(server, n, served) {
  const staff = await server.token(server.staff(1).user, server.staff(1).password);
  for (let i = 0; i < n; i++) await server.issue('A');
  for (let i = 0; i < served; i++) {
    const t = (await server.call('POST', '/api/counters/1/next', {}, staff)).json.ticket;
    await server.call('POST', `/api/tickets/${t.id}/start`, {}, staff);
    await server.call('POST', `/api/tickets/${t.id}/finish`, {}, staff);
  }
}

before(async () => {
  pg = await new Postgres().start();
  north = await new Server({ central: { conninfo: pg.conninfo, code: 'bac' } }).start();
  south = await new Server({ central: { conninfo: pg.conninfo, code: 'nam' } }).start();
  alone = await new Server().start();
  browser = await launch();
  // Each center's shipper logs the rows it shipped: wait for the whole day's.
  const northShipped = north.line(/central: shipped .* up to event/);
  await work(north, 5, 2);
  await northShipped;
  const southShipped = south.line(/central: shipped .* up to event/);
  await work(south, 3, 3);
  await southShipped;
  // A round may have caught only part of the work: wait until the last change is in.
  for (const [server, rows] of [[north, 5], [south, 3]]) {
    const admin = await server.admin();
    while ((await server.call('GET', '/api/admin/feed', undefined, admin)).json.central.behind > 0) await server.line(/central: shipped/);
    assert.equal((await server.call('GET', '/api/stats?from=' + (await server.call('GET', '/healthz')).json.day, undefined, admin)).json.rows.at(-1).issued, rows);
  }
});

after(async () => {
  await browser?.close();
  for (const s of [north, south, alone]) await s?.stop();
  await pg?.stop();
});

test('the Province tab shows every center with the numbers it shipped', async () => {
  const page = await open(browser, north, '/dashboard/#province');
  await signIn(page, 'manager', north.creds.manager.password);
  await page.waitForSelector('[data-table=province] tr[data-center=nam]');
  const cell = (center, col) => page.textContent(`tr[data-center=${center}] [data-col=${col}]`);
  assert.equal(await cell('bac', 'issued'), '5');
  assert.equal(await cell('bac', 'served'), '2');
  assert.equal(await cell('nam', 'issued'), '3');
  assert.equal(await cell('nam', 'served'), '3');
  assert.match(await page.textContent('tr[data-center=bac]'), /Trung tâm Phục vụ hành chính công tỉnh/);
  const api = await north.call('GET', `/api/province?from=${(await north.call('GET', '/healthz')).json.day}`, undefined,
                               await north.token('manager', north.creds.manager.password));
  assert.deepEqual(api.json.centers.map((c) => [c.code, c.issued, c.served]), [['bac', 5, 2], ['nam', 3, 3]]);
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, 'dashboard-province.png'), fullPage: true });
  await page.context().close();
});

test('a center that ships to no central database says so, and a bad range is refused', async () => {
  const page = await open(browser, alone, '/dashboard/#province');
  await signIn(page, 'manager', alone.creds.manager.password);
  await page.waitForSelector('[data-province=none]');
  await page.context().close();
  const manager = await north.token('manager', north.creds.manager.password);
  assert.equal((await north.call('GET', '/api/province?from=20261301', undefined, manager)).status, 400);
  assert.equal((await north.call('GET', '/api/province?from=20261201', undefined, north.creds.kiosk_token)).status, 403);
});
