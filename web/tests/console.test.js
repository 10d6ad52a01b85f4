// The counter console in chromium against a real server: a whole ticket life
// by keyboard and by click, buttons allowed only when the action is, the
// waiting line and its warning, two consoles racing on "next", a server killed
// and restarted under an open console, and the English switch. Then the
// counter's real day (issue 22) on a center of its own: sign in and out, a
// break's reason, a chosen ticket called with its reason, park and return, and
// the outcome dialog at finish with the visit's next step.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stage, open, signIn, console_, screenshots, Server } from './harness.js';

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

  // A break (its reason asked, the first preset by default): next is refused while paused.
  await page.keyboard.press('p');
  await page.waitForSelector('[data-dialog="pause"]');
  await page.keyboard.press('Enter');
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

// ---- The counter's real day (issue 22). Reception (R) asks the outcome and
// sends the visit on to the fees desk (P); advice (O) asks it optionally and is
// served at counters 11 and 13. The demo center's services and counters stay.
const dayToml = () => `
[[services]]
code = "R"
name_vi = "Tiếp nhận hồ sơ"
name_en = "Dossier intake"
prefix = "R"
next_steps = ["P"]
outcome = "required"

[[services]]
code = "P"
name_vi = "Thu phí"
name_en = "Fees"
prefix = "P"

[[services]]
code = "O"
name_vi = "Tư vấn thủ tục"
name_en = "Advice"
prefix = "O"
outcome = "optional"

[[counters]]
id = 11
name = "Quầy 11 - Tiếp nhận"
tiers = [["R", "O"]]

[[counters]]
id = 12
name = "Quầy 12 - Thu phí"
tiers = [["P"]]

[[counters]]
id = 13
name = "Quầy 13 - Tư vấn"
tiers = [["O"]]
`;

describe("the counter's real day", () => {
  let day;
  before(async () => { day = await new Server({ toml: dayToml }).start(); });
  after(async () => { await day?.stop(); });

  const seq = async () => (await day.call('GET', '/healthz')).json.seq;
  const staffToken = (k) => day.token(day.staff(k).user, day.staff(k).password);
  const ticketOf = async (id) => (await day.call('GET', `/api/tickets/${id}`, undefined, day.creds.kiosk_token)).json;
  const counterOf = async (id) => (await day.call('GET', '/api/state', undefined, day.creds.kiosk_token)).json.counters.find((k) => k.id === id);
  const focused = (page, attr) => page.evaluate((a) => document.activeElement?.getAttribute(a) ?? null, attr);
  // axe-core's WCAG 2 A and AA rules on the page as it is (a dialog open: the dialog). Evaluated
  // through the driver, as the console's CSP rightly refuses an injected script.
  const axeSource = readFileSync(resolve(import.meta.dirname, '../node_modules/axe-core/axe.min.js'), 'utf8');
  async function axe(page, what) {
    await page.evaluate(axeSource);
    const violations = await page.evaluate(async () => (await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] }, resultTypes: ['violations'] })).violations
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`));
    assert.deepEqual(violations, [], `axe on ${what}`);
  }
  // The stream's events after `since`, up to the newest now, as a manager's client receives them
  // (a hall device's stream leaves out the staff's reasons: api/device_view.hpp).
  async function eventsAfter(page, since) {
    const token = await day.token('manager', day.creds.manager.password);
    const until = await seq();
    if (until <= since) return [];
    return page.evaluate(({ since, until, token }) => new Promise((ok, fail) => {
      const got = [];
      const ws = new WebSocket(`ws://${location.host}/api/events?since=${since}&token=${encodeURIComponent(token)}`);
      ws.onmessage = (m) => {
        const e = JSON.parse(m.data);
        if (e.seq === undefined || e.type === 'snapshot') return;
        got.push(e);
        if (e.seq >= until) { ws.close(); ok(got); }
      };
      ws.onerror = () => fail(new Error('the event stream refused'));
    }), { since, until, token });
  }

  test('staff are signed in when the console opens their counter, a break asks its reason, and logout signs them out first', async () => {
    const since = await seq();
    const page = await console_(browser, day, 11);
    await page.waitForSelector('.staff-at[data-staff="staff11"]');
    assert.equal((await counterOf(11)).staff, 'staff11');

    await page.keyboard.press('p');
    await page.waitForSelector('[data-dialog="pause"][role=dialog]');
    assert.equal(await focused(page, 'name'), 'reason', 'the cursor is in the dialog');
    await page.click('[data-dialog="pause"] .preset:text("Họp")');
    assert.equal(await page.inputValue('[data-dialog="pause"] input[name=reason]'), 'Họp');
    await axe(page, 'the break dialog');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.badge.paused[data-reason="Họp"]');
    assert.equal((await counterOf(11)).paused, true);
    const paused = (await eventsAfter(page, since)).filter((e) => e.type === 'counter_paused' && e.counter === 11);
    assert.deepEqual(paused.map((e) => [e.reason, e.by]), [['Họp', 'staff11']]);
    await page.reload();  // a console opened during the break reads its reason from the snapshot
    await page.waitForSelector('.badge.paused[data-reason="Họp"]');
    assert.equal((await counterOf(11)).signed_in, 'staff11');
    await page.keyboard.press('p');  // resuming asks nothing
    await page.waitForSelector('.badge.paused', { state: 'detached' });

    // A ticket held here keeps the staff in: logout says so, and the session stays.
    const o = await day.issue('O');
    await page.waitForSelector(`.line li[data-waiting="${o.number}"]`);
    await page.keyboard.press('n');
    await page.waitForSelector(`.current[data-ticket="${o.number}"]`);
    await page.click('button[data-action="logout"]');
    await page.waitForSelector('.toast:has-text("trước khi đăng xuất")');
    assert.equal((await counterOf(11)).staff, 'staff11');
    await page.click('.toast');
    await page.keyboard.press('f');  // advice asks the outcome, optionally: saying nothing is fine
    await page.waitForSelector('[data-dialog="finish"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.current.idle');
    assert.equal((await ticketOf(o.id)).state, 'done');

    await page.click('button[data-action="logout"]');
    await page.waitForSelector('input[name=user]');
    assert.equal((await counterOf(11)).signed_in, '', 'nobody signed in, though staff11 acted there last');
    const signs = (await eventsAfter(page, since)).filter((e) => e.type.startsWith('staff_signed') && e.counter === 11);
    assert.deepEqual(signs.map((e) => [e.type, e.staff]), [['staff_signed_in', 'staff11'], ['staff_signed_out', 'staff11']]);
    await page.context().close();
  });

  test('a chosen ticket is called out of turn with its reason; without one the server refuses and nothing moves', async () => {
    const since = await seq();
    const first = await day.issue('O'), second = await day.issue('O');
    const page = await console_(browser, day, 11);
    await page.waitForSelector(`.line li[data-waiting="${second.number}"]`);
    await page.keyboard.press('c');  // the cursor on the line's first "Gọi số này"
    assert.equal(await focused(page, 'data-call'), String(first.id));
    await page.keyboard.press('ArrowDown');
    assert.equal(await focused(page, 'data-call'), String(second.id));
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-dialog="call"]');
    assert.equal(await focused(page, 'name'), 'reason');
    await page.keyboard.press('Enter');  // no reason
    await page.waitForSelector('[data-dialog="call"] [role=alert]:has-text("Cần ghi lý do")');
    assert.equal((await ticketOf(second.id)).state, 'waiting');
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-dialog="call"]', { state: 'detached' });
    assert.equal(await focused(page, 'data-call'), String(second.id), 'the cursor is back where it was');

    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-dialog="call"]');
    await axe(page, 'the call dialog with its refusal');
    await page.click('[data-dialog="call"] .preset:text("Người khuyết tật / khiếm thính")');
    await page.keyboard.press('Enter');
    await page.waitForSelector(`.current.called[data-ticket="${second.number}"]`);
    await page.waitForSelector(`.line li[data-waiting="${second.number}"]`, { state: 'detached' });
    assert.equal((await ticketOf(first.id)).state, 'waiting', 'the one before it still waits');
    const calls = (await eventsAfter(page, since)).filter((e) => e.type === 'ticket_called');
    assert.deepEqual(calls.map((e) => [e.ticket, e.counter, e.out_of_order, e.reason, e.by]),
                     [[second.id, 11, true, 'Người khuyết tật / khiếm thính', 'staff11']]);

    const staff11 = await staffToken(11);
    assert.equal((await day.call('POST', `/api/tickets/${second.id}/finish`, {}, staff11)).status, 200);
    assert.equal((await day.call('POST', `/api/tickets/${first.id}/cancel`, {}, staff11)).status, 200);
    await page.context().close();
  });

  test('park sends the citizen for a paper; the parked list follows another counter live, and B calls the first back', async () => {
    const staff13 = await staffToken(13);
    const mine = await day.issue('O');
    const page = await console_(browser, day, 11);
    await page.waitForSelector(`.line li[data-waiting="${mine.number}"]`);
    await page.keyboard.press('n');
    await page.waitForSelector(`.current[data-ticket="${mine.number}"]`);
    await page.keyboard.press('k');
    await page.waitForSelector('[data-dialog="park"]');
    assert.equal(await focused(page, 'name'), 'minutes');
    assert.equal(await page.inputValue('[data-dialog="park"] input[name=minutes]'), '15');
    assert.equal(await page.inputValue('[data-dialog="park"] input[name=reason]'), 'Đi bổ sung giấy tờ, quay lại sau');
    await axe(page, 'the park dialog');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.current.idle');
    const row = page.locator(`.parked li[data-parked="${mine.number}"]`);
    await row.waitFor();
    assert.match(await row.innerText(), /còn 1[45]:\d\d/);
    await axe(page, 'the console with its parked list');
    const parked = await ticketOf(mine.id);
    assert.deepEqual([parked.state, parked.parked_by, parked.park_reason], ['parked', 11, 'Đi bổ sung giấy tờ, quay lại sau']);
    assert.ok(Math.abs(parked.parked_until - Date.now() - 15 * 60_000) < 60_000);

    // Another counter of the same service parks its own: it shows here at once.
    const theirs = await day.issue('O');
    const called = await day.call('POST', '/api/counters/13/next', {}, staff13);
    assert.equal(called.json.ticket.id, theirs.id);
    assert.equal((await day.call('POST', `/api/tickets/${theirs.id}/park`, { minutes: 20, reason: 'Photo CCCD' }, staff13)).status, 200);
    await page.waitForSelector(`.parked li[data-parked="${theirs.number}"]:has-text("Photo CCCD")`);

    // B: the first to run out (this counter's, 15 minutes) is back and called here.
    await page.keyboard.press('b');
    await page.waitForSelector(`.current.called[data-ticket="${mine.number}"]`);
    await page.waitForSelector(`.parked li[data-parked="${mine.number}"]`, { state: 'detached' });
    const back = await ticketOf(mine.id);
    assert.deepEqual([back.state, back.counter, back.returns], ['called', 11, 1]);

    // The other counter calls its own back: it leaves this list too.
    assert.equal((await day.call('POST', `/api/tickets/${theirs.id}/return`, {}, staff13)).status, 200);
    await page.waitForSelector('.parked', { state: 'detached' });

    assert.equal((await day.call('POST', `/api/tickets/${theirs.id}/finish`, {}, staff13)).status, 200);
    assert.equal((await day.call('POST', `/api/tickets/${mine.id}/finish`, {}, await staffToken(11))).status, 200);
    await page.context().close();
  });

  test('finish asks what the visit came to: the procedure found by the catalog search, a required outcome enforced, the next step named, the ticket in its line', async () => {
    const since = await seq();
    const r = await day.issue('R');
    assert.deepEqual(r.next_steps, ['P']);
    const desk = await console_(browser, day, 11);
    const fees = await console_(browser, day, 12);
    await desk.waitForSelector(`.line li[data-waiting="${r.number}"]`);
    await desk.keyboard.press('n');
    await desk.waitForSelector(`.current.called[data-ticket="${r.number}"]`);
    await desk.keyboard.press('s');
    await desk.waitForSelector(`.current.serving[data-ticket="${r.number}"]`);
    assert.match(await desk.locator('.current .visit').innerText(), /Tiếp theo: Thu phí/);
    await desk.keyboard.press('f');
    const dialog = desk.locator('[data-dialog="finish"]');
    await dialog.waitFor();
    assert.equal(await focused(desk, 'name'), 'procedure');
    assert.equal(await dialog.locator('[data-steps]').getAttribute('data-steps'), 'P', "the service's next steps by default");
    assert.match(await dialog.locator('.next-preview').innerText(), /Tiếp theo: Thu phí/);

    // Nothing said: the service requires it, the server refuses, the ticket stays served here.
    await desk.keyboard.press('Enter');
    await dialog.locator('[role=alert]:has-text("cần ghi thủ tục")').waitFor();
    assert.equal((await ticketOf(r.id)).state, 'serving');

    // The search is the server's: its hits, in its order.
    const q = 'khai sinh';
    const ranked = (await day.call('GET', `/api/procedures?q=${encodeURIComponent(q)}&limit=8`)).json.hits.map((h) => h.code).filter(Boolean);
    const at = ranked.indexOf('1.001193');
    assert.ok(at >= 0, 'the sample catalog has the birth registration');
    await desk.keyboard.type(q);
    await desk.waitForFunction((want) => [...document.querySelectorAll('[role=option]')].map((x) => x.dataset.code).join() === want, ranked.join());
    for (let i = 0; i < at; i++) await desk.keyboard.press('ArrowDown');
    assert.equal(await desk.getAttribute('input[name=procedure]', 'aria-activedescendant'), `procedure-hit-${at}`);
    await axe(desk, 'the outcome dialog with its search results');
    await desk.keyboard.press('Enter');  // picks it
    await dialog.locator('.procedure-picked[data-procedure="1.001193"]').waitFor();
    await desk.waitForFunction(() => document.activeElement?.getAttribute('name') === 'dossier');
    await desk.keyboard.type('000.00.01.H29-261204-0420');
    await desk.keyboard.press('Enter');  // the result is still missing
    await dialog.locator('[role=alert]:has-text("cần ghi thủ tục")').waitFor();
    assert.equal((await ticketOf(r.id)).state, 'serving');
    await dialog.locator('select[name=result]').selectOption('received');
    assert.equal(await dialog.locator('select[name=result] option:checked').innerText(), 'Đã tiếp nhận');
    await dialog.locator('select[name=result]').press('Enter');
    await desk.waitForSelector('.current.idle');
    assert.equal(await desk.locator('[data-dialog]').count(), 0);
    const note = desk.locator(`.just-finished[data-finished="${r.number}"]`);
    await note.waitFor();
    assert.match(await note.innerText(), /Tiếp theo: Thu phí/);

    // The same number now waits at the fees desk, and the stream carried the outcome.
    await fees.waitForSelector(`.line li[data-waiting="${r.number}"]`);
    const moved = await ticketOf(r.id);
    assert.deepEqual([moved.state, moved.service, moved.step, moved.number], ['waiting', 'P', 1, r.number]);
    const finished = (await eventsAfter(desk, since)).find((e) => e.type === 'ticket_finished' && e.ticket === r.id);
    assert.deepEqual(finished.outcome, { procedure: '1.001193', dossier: '000.00.01.H29-261204-0420', result: 'received' });
    assert.equal(finished.next_step, 'P');

    // At the fees desk nothing is asked and no step follows: F finishes at once.
    await fees.keyboard.press('n');
    await fees.waitForSelector(`.current.called[data-ticket="${r.number}"]`);
    assert.match(await fees.locator('.current .service').innerText(), /Thu phí/);
    await fees.keyboard.press('f');
    await fees.waitForSelector(`.just-finished[data-finished="${r.number}"]:has-text("Xong lượt")`);
    assert.equal(await fees.locator('[data-dialog]').count(), 0);
    assert.equal((await ticketOf(r.id)).state, 'done');

    // The steps to come are the counter's to change: Esc first leaves all as it was; then, without the fee, the visit ends here.
    const r2 = await day.issue('R');
    await desk.waitForSelector(`.line li[data-waiting="${r2.number}"]`);
    await desk.keyboard.press('n');
    await desk.waitForSelector(`.current.called[data-ticket="${r2.number}"]`);
    await desk.keyboard.press('f');
    await dialog.waitFor();
    await desk.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal((await ticketOf(r2.id)).state, 'called');
    await desk.keyboard.press('f');
    await dialog.waitFor();
    await dialog.locator('button[aria-label="Bỏ bước: Thu phí"]').click();
    assert.equal(await dialog.locator('[data-steps]').getAttribute('data-steps'), '');
    assert.match(await dialog.locator('.next-preview').innerText(), /Xong lượt/);
    await desk.focus('[data-dialog="finish"] input[name=procedure]');
    await desk.keyboard.type('1.001193');
    await dialog.locator('[role=option][data-code="1.001193"]').waitFor();
    await desk.keyboard.press('Enter');
    await dialog.locator('.procedure-picked[data-procedure="1.001193"]').waitFor();
    await dialog.locator('select[name=result]').selectOption('advised_only');
    await dialog.locator('select[name=result]').press('Enter');
    await desk.waitForSelector(`.just-finished[data-finished="${r2.number}"]:has-text("Xong lượt")`);
    const ended = await ticketOf(r2.id);
    assert.deepEqual([ended.state, ended.service], ['done', 'R']);
    await desk.context().close();
    await fees.context().close();
  });
});
