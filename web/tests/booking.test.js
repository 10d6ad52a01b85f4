// Booking a visit from the phone (issue 21) in chromium at a phone's size
// against the real queue-server of the demo (services A and B take bookings;
// its file sender writes the texts to DATA/messages.jsonl, where the test
// reads the confirmation code as a citizen reads an SMS): a wrong code said in
// words, the booking's page with its code, the calendar file, a move to
// another time, a cancel after a confirmation, a wrong link's kind page,
// axe-core on the booking form and the booking's page, and the manager's
// Bookings tab, whose figures and CSV equal the statistics API's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, watch } from 'node:fs';
import { join, resolve } from 'node:path';
import { mkdirSync } from 'node:fs';
import { console_, open, screenshots, signIn, stage } from './harness.js';

let server, browser;
stage((s, b) => { server = s; browser = b; });

const axePath = resolve(import.meta.dirname, '../node_modules/axe-core/axe.min.js');

async function phone() {
  const context = await browser.newContext({ viewport: { width: 360, height: 800 }, isMobile: true, hasTouch: true, locale: 'vi-VN',
                                                bypassCSP: true });  // axe's script is injected (the CSP is phone.test.js's)
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(String(e)));
  return page;
}

async function axe(page, what) {
  await page.addScriptTag({ path: axePath });
  const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`));
  assert.deepEqual(violations, [], `axe on ${what}`);
}

// The newest text to the masked phone whose text matches, once the file sender wrote it (woken by the file's changes).
function textMessage(masked, pattern, after = 0) {
  const file = join(server.data, 'messages.jsonl');
  const find = () => {
    if (!existsSync(file)) return null;
    // Only whole lines: the watcher may wake while the sender is still writing one.
    const text = readFileSync(file, 'utf8');
    const lines = text.slice(0, text.lastIndexOf('\n') + 1).split('\n').filter(Boolean).slice(after).map((l) => JSON.parse(l));
    return lines.reverse().find((m) => m.phone === masked && pattern.test(m.text)) ?? null;
  };
  return new Promise((ok) => {
    const found = find();
    if (found) return ok(found);
    const watcher = watch(server.data, () => {
      const m = find();
      if (m) { watcher.close(); ok(m); }
    });
  });
}
const linesNow = () => {
  const file = join(server.data, 'messages.jsonl');
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').length - 1 : 0;  // whole lines
};

async function chooseSlot(page) {
  await page.locator('[data-day]').last().tap();
  await page.locator('[data-slot]:not([disabled])').first().tap();
}

test('a citizen books from the phone: a day and a time, a code by text, the booking page - moved - cancelled', async () => {
  const page = await phone();
  await page.goto(server.url + '/m/');
  await page.tap('[data-tile="book"]');
  await page.waitForSelector('h1:has-text("Đặt lịch hẹn")');
  await page.selectOption('#service', 'A');
  await chooseSlot(page);
  const chosen = await page.locator('[data-slot][aria-pressed="true"]').getAttribute('data-slot');
  await page.fill('#phone', '0912 345 678');
  const before = linesNow();
  await page.tap('[data-action="send-code"]');
  await page.waitForSelector('[role="status"]:has-text("09*****678")');
  const sms = await textMessage('09*****678', /Mã xác nhận/, before);
  const code = sms.text.match(/(\d{6})/)[1];

  await page.fill('#code', code === '000000' ? '111111' : '000000');  // a wrong code first
  await page.tap('[data-action="book"]');
  await page.waitForSelector('[role="alert"]:has-text("Mã xác nhận chưa đúng")');
  await axe(page, 'the booking form');
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, 'phone-book.png'), fullPage: true });

  await page.fill('#code', code);
  await page.tap('[data-action="book"]');
  await page.waitForURL(/\/b\/[A-Za-z0-9_-]{22}$/);
  await page.waitForSelector('[data-booking-state="booked"]');
  const bookingCode = await page.locator('[data-booking-code]').innerText();
  assert.match(bookingCode, /^[A-HJ-NP-Z2-9]{8}$/);
  assert.match(await page.locator('[data-when]').innerText(), new RegExp(`^${chosen}–`));
  assert.ok(!(await page.content()).includes('912345678'), 'the page never shows the phone number');
  await page.waitForFunction(() => document.querySelector('img.qr')?.complete && document.querySelector('img.qr').naturalWidth > 0);
  const qr = await server.call('GET', new URL(await page.locator('img.qr').getAttribute('src'), server.url).pathname);
  assert.equal(qr.status, 200);
  assert.match(qr.text, /^<svg [^>]*viewBox="0 0 (\d+) \1"/);
  await axe(page, 'the booking page');
  await page.screenshot({ path: join(screenshots, 'phone-booking.png'), fullPage: true });

  const ics = await server.call('GET', new URL(await page.locator('a[download]').getAttribute('href'), server.url).pathname);
  assert.equal(ics.status, 200);
  assert.match(ics.text, /BEGIN:VEVENT[\s\S]*DTSTART:\d{8}T\d{6}Z/);
  assert.ok(ics.text.includes(bookingCode));

  await page.tap('[data-action="move"]');
  await page.locator('[data-slot]:not([disabled])').nth(1).tap();
  const moved = await page.locator('[data-slot][aria-pressed="true"]').getAttribute('data-slot');
  await page.tap('[data-action="move-confirm"]');
  await page.waitForSelector(`[data-when]:has-text("${moved}–")`);
  await page.waitForSelector('[role="status"]:has-text("Đã đổi lịch hẹn")');

  await page.tap('[data-action="unbook"]');
  await page.tap('[data-action="unbook-yes"]');
  await page.waitForSelector('[data-booking-state="cancelled"]');
  assert.equal(await page.locator('[data-action="move"]').count(), 0, 'a cancelled booking offers nothing more');
  const key = new URL(page.url()).pathname.split('/')[2];
  assert.equal((await server.call('GET', `/api/public/bookings/${key}`)).json.state, 'cancelled');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a wrong booking link gets a kind page, in English too', async () => {
  const page = await phone();
  await page.goto(server.url + '/b/AAAAAAAAAAAAAAAAAAAAAA');
  await page.waitForSelector('[data-booking="none"]:has-text("Không tìm thấy lịch hẹn")');
  await page.tap('button.lang');
  await page.waitForSelector('[data-booking="none"]:has-text("This booking was not found")');
  await axe(page, 'the missing booking page');
  await page.context().close();
});

test('a booked citizen checked in by the code shows at the counter: the slot, how early, the masked name, the identity checked', async (t) => {
  const day = (await server.call('GET', '/api/public/services')).json.services.find((s) => s.code === 'A').days[0];
  const slot = (await server.call('GET', `/api/public/slots?service=A&day=${day}`)).json.slots.find((s) => s.free > 0);
  if (!slot) return t.skip('no slot left today (the minutes before midnight)');
  const before = linesNow();
  assert.equal((await server.call('POST', '/api/public/verify', { phone: '0987654321' })).status, 202);
  const code = (await textMessage('09*****321', /Mã xác nhận/, before)).text.match(/(\d{6})/)[1];
  const made = await server.call('POST', '/api/public/bookings', { service: 'A', day, start: slot.start, phone: '0987654321', code,
                                                                     name: 'Trần Thị Bình' });
  assert.equal(made.status, 201, made.text);
  const ticket = await server.call('POST', '/api/checkins', { code: made.json.code }, server.creds.kiosk_token);
  assert.equal(ticket.status, 201, ticket.text);

  const page = await console_(browser, server, 1);
  await page.waitForSelector(`.line li:has-text("${ticket.json.number}") .badge.booked`);
  await page.keyboard.press('n');
  await page.waitForSelector(`.current[data-ticket="${ticket.json.number}"] .booking`);
  const line = await page.locator('.current .booking').innerText();
  assert.match(line, /Đặt lịch \d\d:\d\d/);
  assert.match(line, /Đến (sớm \d+ phút|đúng giờ)/);
  assert.match(line, /Trần T\*\* B\*\*/);
  assert.ok(!line.includes('Thị Bình'), 'the name masked');
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, 'console-booked-1366x768.png') });
  // The phone the citizen shows, checked against the booking's (key I, then type, Enter).
  await page.keyboard.press('i');
  await page.keyboard.type('0912345678');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.identity-result.mismatch:has-text("Không khớp")');
  await page.fill('#identity-input', '0987654321');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.identity-result.ok:has-text("Đúng người")');
  await page.evaluate(() => document.activeElement.blur());
  await page.keyboard.press('f');
  await page.waitForSelector('.current.idle');
  await page.context().close();
});

// After the tests above: a booking cancelled (the first), one checked in and
// called (the third, unless it was too late in the day). The tab over the
// whole bookable range shows what the API reports, row by row, and the waits
// of booked and walk-in citizens side by side.
test("the dashboard's Bookings tab shows the API's figures per day and service, and downloads its CSV", async () => {
  const services = (await server.call('GET', '/api/public/services')).json.services;
  const days = services.flatMap((s) => s.days).sort();
  const [from, to] = [days[0], days.at(-1)];
  const input = (d) => `${String(d).slice(0, 4)}-${String(d).slice(4, 6)}-${String(d).slice(6, 8)}`;
  const manager = await server.token('manager', server.creds.manager.password);
  const api = (await server.call('GET', `/api/stats/bookings?from=${from}&to=${to}`, undefined, manager)).json;
  const total = api.rows.find((r) => r.day === 0);
  assert.ok(total.made >= 1 && total.cancelled >= 1, `the tests above booked and cancelled: ${JSON.stringify(total)}`);

  const page = await open(browser, server, '/dashboard/');
  await signIn(page, 'manager', server.creds.manager.password);
  await page.click('nav.tabs button[data-tab=bookings]');
  await page.waitForSelector('[data-view=bookings] table[data-table=bookings]');
  await page.fill('input[name=from]', input(from));
  await page.fill('input[name=to]', input(to));
  await page.click('[data-view=bookings] .filters button[type=submit]');
  await page.waitForFunction((n) => document.querySelectorAll('table[data-table=bookings] tbody tr').length === n, api.rows.length);
  const percent = (x) => `${(x * 100).toFixed(1)}%`;  // lib/format.ts
  for (const r of api.rows) {
    const tr = page.locator(`table[data-table=bookings] tr[data-day="${r.day}"][data-service="${r.service}"]`);
    const what = `${r.day} ${r.service}`;
    assert.equal(await tr.locator('[data-col=made]').innerText(), String(r.made), what);
    assert.equal(await tr.locator('[data-col=no_show]').innerText(), String(r.no_show), what);
    assert.match(await tr.locator('[data-col=checked_in]').innerText(), new RegExp(`^${r.checked_in} \\(${r.on_time} / ${r.late}\\)`), what);
    if (r.checked_in + r.no_show) assert.equal(await tr.locator('[data-col=show_up]').innerText(), percent(r.show_up), what);
    if (r.offered) assert.match(await tr.locator('[data-col=slot_use]').innerText(), new RegExp(`^${percent(r.slot_use)} \\(${r.made - r.cancelled}/${r.offered}\\)`), what);
  }
  const waits = (await server.call('GET', `/api/stats?from=${from}&to=${to}&by=booking`, undefined, manager)).json.rows.filter((r) => r.key !== 'total');
  assert.equal(await page.locator('table[data-table=booking-waits] tbody tr').count(), waits.length);
  for (const w of waits)
    assert.equal(await page.locator(`table[data-table=booking-waits] tr[data-key="${w.key}"] td`).nth(1).innerText(), String(w.issued), w.key);
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, 'dashboard-bookings-1366x768.png'), fullPage: true });

  const [file] = await Promise.all([page.waitForEvent('download'), page.click('button[data-export=bookings]')]);
  const csv = Buffer.concat(await (await file.createReadStream()).toArray()).toString('utf8');
  assert.equal(csv, (await server.call('GET', `/api/stats/bookings?from=${from}&to=${to}&format=csv`, undefined, manager)).text);
  assert.match(file.suggestedFilename(), new RegExp(`^bookings-${from}-${to}\\.csv$`));
  await page.context().close();
});
