// The counter console in chromium against a real server: a whole ticket life
// by keyboard and by click, buttons allowed only when the action is, the
// waiting line and its warning, two consoles racing on "next", a server killed
// and restarted under an open console, and the English switch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { stage, open, signIn, console_, screenshots } from './harness.js';

let server, browser;
stage((s, b) => { server = s; browser = b; });

const current = (page) => page.locator('.current .number');
const button = (page, action) => page.locator(`button[data-action="${action}"]`);

test('a staff member signs in and takes a ticket through its whole life', async () => {
  const page = await console_(browser, server, 1);
  assert.match(await page.locator('header.top').innerText(), /Quầy 1/);
  assert.equal(await button(page, 'next').isDisabled(), true, 'nobody waits yet');

  const first = await server.issue('A', 'elderly');
  const second = await server.issue('A');
  await page.waitForSelector('.count[data-service="A"] b:text("2")');
  assert.equal(await page.locator('.line li').count(), 2);
  assert.equal(await button(page, 'start').isDisabled(), true);

  await page.keyboard.press('n');  // call next
  await page.waitForSelector(`.current.called[data-ticket="${first.number}"]`);
  assert.match(await page.locator('.current').innerText(), /Người cao tuổi|cao tuổi/i);
  for (const a of ['recall', 'start', 'finish', 'no-show', 'transfer', 'cancel'])
    assert.equal(await button(page, a).isDisabled(), false, a);
  assert.equal(await button(page, 'next').isDisabled(), true, 'a called ticket must be dealt with first');

  await button(page, 'recall').click();
  await page.waitForSelector('.current dd:text("1")');
  await page.keyboard.press('s');
  await page.waitForSelector(`.current.serving[data-ticket="${first.number}"]`);
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, 'console-serving-1366x768.png') });
  await page.keyboard.press('f');
  await page.waitForSelector('.current.idle');
  const done = await server.call('GET', `/api/tickets/${first.id}`, undefined, server.creds.kiosk_token);
  assert.equal(done.json.state, 'done');

  // Transfer with a note, through the dialog.
  await page.keyboard.press('n');
  await page.waitForSelector(`.current[data-ticket="${second.number}"]`);
  await page.keyboard.press('t');
  await page.selectOption('select[name=to_service]', 'B');
  await page.fill('input[name=note]', 'cần hồ sơ đất');
  await page.click('.dialog button[type=submit]');
  await page.waitForSelector('.current.idle');
  const moved = await server.call('GET', `/api/tickets/${second.id}`, undefined, server.creds.kiosk_token);
  assert.equal(moved.json.service, 'B');
  assert.equal(moved.json.transfers, 1);

  // No-show too early: the server's words, not a guess.
  const third = await server.issue('A');
  await page.waitForSelector(`.line li:has-text("${third.number}")`);
  await page.keyboard.press('n');
  await page.waitForSelector(`.current[data-ticket="${third.number}"]`);
  await button(page, 'no-show').click();
  await page.waitForSelector('.toast:has-text("recall")');
  assert.equal(await page.locator(`.current[data-ticket="${third.number}"]`).count(), 1);
  await page.keyboard.press('h');  // cancel
  await page.waitForSelector('.current.idle');

  // A break: next is refused while paused.
  await page.keyboard.press('p');
  await page.waitForSelector('.badge.paused');
  await server.issue('A');
  assert.equal(await button(page, 'next').isDisabled(), true);
  await button(page, 'resume').click();
  await page.waitForSelector('button[data-action="next"]:not([disabled])');
  await page.context().close();
});

test('what another console or a manager does shows at once, and a ticket waiting past the target is flagged', async () => {
  const page = await open(browser, server, '/console/?counter=2&target=0');
  await signIn(page, 'manager', server.creds.manager.password);
  await page.waitForSelector('.link.online');
  const t = await server.issue('K');
  await page.waitForSelector(`.line li.over:has-text("${t.number}")`);
  const manager = await server.token('manager', server.creds.manager.password);
  const r = await server.call('POST', '/api/counters/2/next', {}, manager);
  assert.equal(r.status, 200);
  await page.waitForSelector(`.current[data-ticket="${r.json.ticket.number}"]`);
  await server.call('POST', `/api/tickets/${r.json.ticket.id}/finish`, {}, manager);
  await page.waitForSelector('.current.idle');
  await page.context().close();
});

test('two consoles pressing next at the same moment get two different tickets', async () => {
  const one = await console_(browser, server, 1);
  const two = await console_(browser, server, 2);
  for (const p of [one, two]) if (await p.locator('.current.idle').count() === 0) await p.keyboard.press('f');
  const a = await server.issue('A');
  const b = await server.issue('A');
  for (const p of [one, two]) await p.waitForSelector('button[data-action="next"]:not([disabled])');
  await Promise.all([one.keyboard.press('n'), two.keyboard.press('n')]);
  await one.waitForSelector('.current.called');
  await two.waitForSelector('.current.called');
  const got = [await one.locator('.current').getAttribute('data-ticket'), await two.locator('.current').getAttribute('data-ticket')];
  assert.notEqual(got[0], got[1]);
  // Each is held by the counter that shows it (other tickets of the morning may have come first).
  const state = (await server.call('GET', '/api/state', undefined, server.creds.kiosk_token)).json;
  const held = Object.fromEntries(state.counters.map((k) => [k.id, k.ticket?.number]));
  assert.equal(held[1], got[0]);
  assert.equal(held[2], got[1]);
  assert.ok(a.number && b.number);
  await one.context().close();
  await two.context().close();
});

test('the console rides out a server killed and restarted, without a reload', async () => {
  const page = await console_(browser, server, 5);
  await page.evaluate(() => { window.notReloaded = true; });
  await server.kill();
  await page.waitForSelector('.link.offline');
  await server.start();  // same port, same data
  await page.waitForSelector('.link.online');
  const t = await server.issue('C');
  await page.waitForSelector(`.line li:has-text("${t.number}")`);
  await page.keyboard.press('n');
  await page.waitForSelector(`.current[data-ticket="${t.number}"]`);
  assert.equal(await page.evaluate(() => window.notReloaded), true);
  await page.context().close();
});

test('English on request, and the layout fits a 1366x768 screen', async () => {
  const page = await console_(browser, server, 3);
  await page.click('.lang button:text("EN")');
  await page.waitForSelector('button[data-action="next"]:has-text("Call next")');
  const size = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]);
  assert.deepEqual(size, [1366, 768], 'no scrolling on a 1366x768 screen');
  await page.click('.lang button:text("VI")');
  await page.context().close();
});
