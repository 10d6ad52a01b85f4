// The citizen's phone app in chromium at a phone's size (360x800, touch)
// against the real queue-server: a ticket followed from the URL the kiosk's
// POST /api/tickets answers (first render on a slow-3G-like link), called by
// staff over HTTP and the alert seen on the page, leaving with a
// confirmation, late once, a visit across desks (its next step, a parked ticket's time to be back by),
// the text-message opt-in, English, text at 200%, a wrong key's kind page, a
// server killed -9 and restarted under the page, the procedure search and
// checklist, the dossier lookup (the demo's seeded dossiers), the hall queue,
// the page weight, and axe-core on every page. The server's CSP (self only,
// no inline script) is in force everywhere except under axe, whose script
// is injected by the test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, resolve } from 'node:path';
import { mkdirSync } from 'node:fs';
import { screenshots, Server, stage, webDist } from './harness.js';

let server, browser;
stage((s, b) => { server = s; browser = b; });

const axePath = resolve(import.meta.dirname, '../node_modules/axe-core/axe.min.js');
const pages = [];  // every phone page opened, to check none hit a CSP refusal or a script error

async function phone({ lang = 'vi', bypassCSP = false } = {}) {
  const context = await browser.newContext({
    viewport: { width: 360, height: 800 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2,
    locale: lang === 'vi' ? 'vi-VN' : 'en-US', bypassCSP,
  });
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(String(e)));
  page.on('console', (m) => { if (/Content Security Policy|Refused to/.test(m.text())) page.problems.push(m.text()); });
  pages.push(page);
  return page;
}

async function done(page) {
  assert.deepEqual(page.problems, [], 'no script error and no CSP refusal');
  await page.context().close();
}

const idOf = (reply) => reply.id ?? reply.ticket.id;

// A kiosk's ticket and the path its QR points at.
async function ticket(service) {
  const t = await server.issue(service);
  const url = t.follow_url ?? t.ticket?.follow_url;
  assert.match(url, /\/t\/[A-Za-z0-9_-]{22}$/, 'the kiosk reply carries a follow URL');
  return { id: idOf(t), number: t.number ?? t.ticket.number, path: new URL(url, server.url).pathname };
}

async function staffToken(counter) {
  const s = server.staff(counter);
  return server.token(s.user, s.password);
}

const stateText = (page) => page.locator('[data-state-text]').innerText();

async function axe(page, what) {
  await page.addScriptTag({ path: axePath });
  const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`));
  assert.deepEqual(violations, [], `axe on ${what}`);
}

test('the page weighs at most 60 KB gzipped (JS and CSS of the phone entry)', () => {
  const html = readFileSync(join(webDist, 'm/index.html'), 'utf8');
  const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
  assert.ok(assets.some((a) => a.endsWith('.js')) && assets.some((a) => a.endsWith('.css')));
  assert.ok(!assets.some((a) => /uplot|dashboard/i.test(a)), 'no chart library on the phone');
  const sizes = assets.map((a) => [a, gzipSync(readFileSync(join(webDist, a)), { level: 9 }).length]);
  const total = sizes.reduce((s, [, n]) => s + n, 0);
  console.log(`phone page weight: ${(total / 1024).toFixed(1)} KB gzipped (${sizes.map(([a, n]) => `${a.split('/').pop()} ${(n / 1024).toFixed(1)}`).join(', ')})`);
  assert.ok(total <= 60 * 1024, `${total} bytes`);
});

test('a ticket followed from its QR on slow 3G: people ahead, the alert at N ahead, then called with the counter in large type', async () => {
  const first = await server.issue('A'), second = await server.issue('A');
  const mine = await ticket('A');
  const page = await phone();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {  // about "slow 3G": 400 ms round trips, 400 kbit/s
    offline: false, latency: 400, downloadThroughput: 50 * 1024, uploadThroughput: 50 * 1024 });
  const t0 = Date.now();
  const reply = await page.goto(server.url + mine.path, { waitUntil: 'commit' });
  assert.equal(reply.status(), 200);
  await page.waitForSelector(`[data-number="${mine.number}"]`);
  console.log(`phone first render on slow 3G: ${Date.now() - t0} ms to the ticket number`);
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  assert.equal(await page.locator('[data-ahead]').getAttribute('data-ahead'), '2');
  assert.match(await stateText(page), /Đang chờ/);
  assert.equal(await page.getAttribute('html', 'lang'), 'vi');
  await page.waitForSelector('[data-link="online"]', { state: 'attached' });

  await page.selectOption('#alert-ahead', '1');
  await page.tap('[data-action="alert-on"]');
  await page.waitForSelector('[data-alerts="on"]');
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, 'phone-waiting-360x800.png') });
  assert.equal(await page.locator('[data-alert]').count(), 0, 'two ahead, the alert waits for one');

  const one = await staffToken(1), two = await staffToken(2);
  assert.equal((await server.call('POST', '/api/counters/1/next', {}, one)).json.ticket.id, idOf(first));
  await page.waitForSelector('[data-alert="near"]');
  assert.match(await page.locator('[role=alert][data-alert]').innerText(), new RegExp(`${mine.number}.*còn 1 người`));
  assert.equal((await server.call('POST', '/api/counters/2/next', {}, two)).json.ticket.id, idOf(second));
  await page.waitForSelector('[data-ahead="0"]');

  const held = idOf(first);
  for (const step of ['start', 'finish']) assert.equal((await server.call('POST', `/api/tickets/${held}/${step}`, {}, one)).status, 200);
  const call = await server.call('POST', '/api/counters/1/next', {}, one);
  assert.equal(call.json.ticket.number, mine.number);
  await page.waitForSelector('[data-alert="called"]');
  assert.match(await page.locator('[data-alert="called"]').innerText(), /Mời đến Quầy 1/);
  assert.match(await page.locator('.call').innerText(), /Mời đến\s*Quầy 1/);
  assert.match(await stateText(page), /Đến lượt bạn/);
  const size = await page.locator('.call b').evaluate((b) => parseFloat(getComputedStyle(b).fontSize));
  assert.ok(size >= 48, `the counter in very large type (${size}px)`);
  assert.equal(await page.locator('[data-action="leave"]').count(), 0, 'nothing to leave once called');
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, 'phone-called-360x800.png') });
  await done(page);

  const checked = await phone({ bypassCSP: true });  // axe's script is injected: the CSP would refuse it
  await checked.goto(server.url + mine.path);
  await checked.waitForSelector('.call');
  await axe(checked, 'a called ticket');
  await checked.context().close();
});

test('leaving the queue asks first, then cancels the ticket', async () => {
  const mine = await ticket('D');
  const page = await phone();
  await page.goto(server.url + mine.path);
  await page.waitForSelector('[data-action="leave"]');
  await page.tap('[data-action="leave"]');
  await page.waitForSelector('dialog[open]');
  assert.match(await page.locator('dialog').innerText(), new RegExp(mine.number));
  await page.tap('[data-action="leave-no"]');
  await page.waitForSelector('dialog', { state: 'hidden' });
  assert.match(await stateText(page), /Đang chờ/);
  await page.tap('[data-action="leave"]');
  await page.tap('[data-action="leave-yes"]');
  await page.waitForSelector('.ticket[data-state="cancelled"]');
  assert.match(await stateText(page), /rời hàng chờ/);
  const after = await server.call('GET', `/api/tickets/${mine.id}`, undefined, server.creds.kiosk_token);
  assert.equal(after.json.state, 'cancelled');
  await done(page);
});

test("I'll be late moves the ticket back once, and only once", async () => {
  const mine = await ticket('F');
  for (let i = 0; i < 4; i++) await server.issue('F');
  const page = await phone();
  await page.goto(server.url + mine.path);
  await page.waitForSelector('[data-action="late"]');
  const before = Number(await page.locator('[data-ahead]').getAttribute('data-ahead'));
  await page.tap('[data-action="late"]');
  await page.waitForSelector('[data-late="done"]');
  assert.match(await page.locator('[data-late="done"]').innerText(), /lùi lượt của bạn 3 chỗ/i);
  await page.waitForSelector(`[data-ahead="${before + 3}"]`);
  await page.reload();
  await page.waitForSelector(`[data-ahead="${before + 3}"]`);
  assert.equal(await page.locator('[data-action="late"]').count(), 0, 'once only: the button is gone');
  const key = mine.path.split('/').pop();
  const again = await server.call('POST', `/api/public/tickets/${key}/late`, {});
  assert.equal(again.status, 409);
  assert.equal(again.json.error.code, 'already_late');
  await done(page);
});

// A visit across desks (issue 22): intake, then the fee at a counter named for it, then the result.
const stepsToml = () => `
[[services]]
code = "R"
name_vi = "Tiếp nhận hồ sơ"
name_en = "Dossier intake"
prefix = "R"
open = "00:00"
close = "24:00"
next_steps = ["P", "T"]

[[services]]
code = "P"
name_vi = "Thu phí"
name_en = "Fee payment"
prefix = "P"
open = "00:00"
close = "24:00"

[[counters]]
id = 11
name = "Quầy 11"
tiers = [["R"]]

[[counters]]
id = 12
name = "Quầy thu phí số 2"
tiers = [["P"]]
`;

// The center's HH:MM of a UTC instant, as the hall's clock reads it.
const hallTime = (ms) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
  .format(new Date(ms));

test('a visit across desks: the next step and those after it, the cashier by its name, and parked the time to be back by', async () => {
  const hall = await new Server({ toml: stepsToml }).start();
  try {
    const admin = await hall.admin();
    const t = await hall.issue('R');
    const id = idOf(t);
    const act = async (path, body = {}) => assert.equal((await hall.call('POST', path, body, admin)).status, 200, path);
    const page = await phone();
    await page.goto(hall.url + new URL(t.follow_url ?? t.ticket.follow_url, hall.url).pathname);
    await page.waitForSelector('[data-later-steps="P T"]');
    assert.match(await page.locator('[data-later-steps]').innerText(), /Sau đó: Thu phí → Trả kết quả/);
    assert.match(await stateText(page), /^Đang chờ đến lượt$/, 'a first step is a plain wait');

    await act('/api/counters/11/next');
    await page.waitForSelector('.ticket[data-state="called"]');
    await act(`/api/tickets/${id}/finish`);
    await page.waitForSelector('.ticket[data-state="waiting"] [data-step="1"]');
    assert.equal(await stateText(page), 'Bước tiếp theo: Thu phí — chờ gọi');
    assert.match(await page.locator('[data-later-steps]').innerText(), /Sau đó: Trả kết quả/);
    assert.equal(await page.locator('[data-number]').getAttribute('data-number'), t.number ?? t.ticket.number, 'the same paper');
    mkdirSync(screenshots, { recursive: true });
    await page.screenshot({ path: join(screenshots, 'phone-next-step-360x800.png') });

    await act('/api/counters/12/next');
    await page.waitForSelector('.ticket[data-state="called"]');
    assert.equal(await stateText(page), 'Bước tiếp theo: Thu phí — đến lượt bạn!');
    assert.match(await page.locator('.call').innerText(), /Mời đến\s*Quầy thu phí số 2/);

    const parked = await hall.call('POST', `/api/tickets/${id}/park`, { minutes: 15, reason: 'Thiếu bản sao giấy khai sinh' }, admin);
    assert.equal(parked.status, 200);
    await page.waitForSelector('.ticket[data-state="parked"]');
    assert.equal(await stateText(page), `Đã tạm dừng — quay lại trước ${hallTime(parked.json.parked_until)}`);
    assert.doesNotMatch(await page.locator('main').innerText(), /Thiếu bản sao/, 'never the reason staff wrote');
    await page.screenshot({ path: join(screenshots, 'phone-parked-360x800.png') });
    await page.tap('button.lang');
    await page.waitForSelector('text=Your ticket');
    assert.equal(await stateText(page), `On hold — please come back by ${hallTime(parked.json.parked_until)}`);
    await page.tap('button.lang');
    await page.waitForSelector('text=Số thứ tự của bạn');

    await act(`/api/tickets/${id}/return`, { counter: 12 });
    await page.waitForSelector('.ticket[data-state="called"]');
    assert.match(await page.locator('.call').innerText(), /Quầy thu phí số 2/);
    await done(page);

    const checked = await phone({ bypassCSP: true });  // axe's script is injected: the CSP would refuse it
    await act(`/api/tickets/${id}/park`, { minutes: 5 });
    await checked.goto(hall.url + new URL(t.follow_url ?? t.ticket.follow_url, hall.url).pathname);
    await checked.waitForSelector('.ticket[data-state="parked"]');
    await axe(checked, 'a parked ticket of a visit across desks');
    await checked.context().close();
  } finally {
    await hall.stop();
  }
});

// Fills the opt-in form: first without the consent box (refused on the page), then with it.
async function askForMessages(page, path) {
  await page.goto(path);
  await page.tap('[data-action="sms"]');
  assert.equal(await page.getAttribute('#sms-phone', 'type'), 'tel');
  assert.equal(await page.getAttribute('#sms-phone', 'autocomplete'), 'tel');
  await page.fill('#sms-phone', '0912 345 678');
  await page.tap('form button[type=submit]');
  await page.waitForSelector('[role=alert]:has-text("đánh dấu ô đồng ý")');
  await page.check('input[name=consent]');
  await page.tap('form button[type=submit]');
}

test('text messages: consent first, then only the masked number is shown', async () => {
  const mine = await ticket('H');
  const page = await phone();
  await askForMessages(page, server.url + mine.path);
  await page.waitForSelector('[data-sms="on"]:has-text("09*****678")');  // the demo's file sender took it
  assert.equal(await page.locator('#sms-phone').count(), 0);
  assert.ok(!(await page.content()).includes('0912345678'), 'the whole number is not on the page');
  await done(page);
});

test('a center without a message sender says so instead of the form', async () => {
  const plain = await new Server({ phone: '[phone]\nlate_places = 3' }).start();
  try {
    const t = await plain.issue('H');
    const page = await phone();
    await askForMessages(page, plain.url + new URL(t.follow_url, plain.url).pathname);
    await page.waitForSelector('[data-sms="none"]:has-text("chưa bật dịch vụ nhắn tin")');  // 409 no_sender
    assert.equal(await page.locator('#sms-phone').count(), 0);
    await done(page);
  } finally {
    await plain.stop();
  }
});

test('English on request, remembered, and text at 200% still fits and works', async () => {
  const mine = await ticket('E');
  const page = await phone();
  await page.goto(server.url + mine.path);
  await page.waitForSelector('[data-number]');
  await page.tap('button.lang');
  await page.waitForSelector('text=Your ticket');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.match(await stateText(page), /Waiting for your turn/);
  await page.reload();
  await page.waitForSelector('[data-action="leave"]:has-text("won\'t wait")');

  await page.evaluate(() => { document.documentElement.style.fontSize = '200%'; });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `no sideways scrolling at 200% (${width}px)`);
  for (const sel of ['button.lang', '[data-action="alert-on"]', '[data-action="late"]', '[data-action="leave"]', '[data-action="sms"]']) {
    const box = await page.locator(sel).boundingBox();
    assert.ok(box && box.height >= 44 && box.x >= 0 && box.x + box.width <= 360, `${sel} whole and at least 44 px high: ${JSON.stringify(box)}`);
  }
  await page.tap('[data-action="leave"]');
  await page.waitForSelector('dialog[open]');
  const yes = await page.locator('[data-action="leave-yes"]').boundingBox();
  assert.ok(yes.y + yes.height <= 800, 'the confirmation fits the screen');
  await page.tap('[data-action="leave-no"]');
  await page.tap('button.lang');
  await page.waitForSelector('text=Số thứ tự của bạn');
  await done(page);
});

test('a wrong key gets the kind 404 page and no ticket', async () => {
  const page = await phone();
  const reply = await page.goto(server.url + '/t/AAAAAAAAAAAAAAAAAAAAAA');
  assert.equal(reply.status(), 404);
  await page.waitForSelector('[data-missing]');
  assert.match(await page.locator('main').innerText(), /Không tìm thấy lượt này — vé có thể đã hết hạn hoặc mã QR không đúng/);
  assert.equal(await page.locator('[data-number]').count(), 0);
  await page.goto(server.url + '/t/not-even-a-key');
  await page.waitForSelector('[data-missing]');
  await done(page);
});

test('the page rides out a server killed -9 and restarted: lost link shown, then the same ticket live again', async () => {
  const mine = await ticket('C');
  const page = await phone();
  await page.goto(server.url + mine.path);
  await page.waitForSelector('[data-link="online"]', { state: 'attached' });
  await page.evaluate(() => { window.notReloaded = true; });
  await server.kill();
  await page.waitForSelector('[data-link="offline"]:has-text("Mất kết nối")');
  await server.start();  // same port, same data
  await page.waitForSelector('[data-link="online"]', { state: 'attached', timeout: 60_000 });
  assert.equal(await page.locator('[data-number]').getAttribute('data-number'), mine.number);
  const call = await server.call('POST', '/api/counters/5/next', {}, await staffToken(5));
  assert.equal(call.json.ticket.number, mine.number);
  await page.waitForSelector('.ticket[data-state="called"]');
  assert.match(await page.locator('.call').innerText(), /Quầy 5/);
  assert.equal(await page.evaluate(() => window.notReloaded), true);
  page.problems = page.problems.filter((p) => !/WebSocket|ERR_CONNECTION_REFUSED|Failed to load resource/.test(p));
  await done(page);
});

test('procedure search without diacritics, the checklist page, print sheet and share', async () => {
  const page = await phone();
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  await page.goto(server.url + '/m/');
  await page.fill('#q', 'dang ky khai sinh');
  await page.waitForSelector('.hits a:has-text("Đăng ký khai sinh")');
  await page.tap('.hits li:first-child a');
  await page.waitForURL(/\/m\/p\/1\.001193\/$/);
  await page.waitForSelector('h1:text("Đăng ký khai sinh")');
  assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'H1', 'the new page heading has the focus');
  assert.equal(await page.locator('.checklist li').count(), 5);
  await page.reload();  // the shared link opens by itself
  await page.waitForSelector('.checklist li >> nth=4');
  await page.tap('[data-action="share"]');
  await page.waitForSelector('[role=status]:has-text("đường dẫn")');
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('header.top').isVisible(), false, 'the print sheet has no top bar');
  assert.equal(await page.locator('[data-action="print"]').isVisible(), false);
  await page.emulateMedia({ media: 'screen' });
  await page.goBack();
  await page.waitForSelector('#q');
  await done(page);
});

test('dossier lookup: prefilled from the receipt QR, a wrong check answered like an unknown code', async () => {
  const page = await phone();
  await page.goto(server.url + '/m/d?code=H55.26-1124-0002');
  assert.equal(await page.inputValue('#d-code'), 'H55.26-1124-0002');
  await page.fill('#d-check', '0000');
  await page.tap('button[type=submit]');
  await page.waitForSelector('[data-error]:has-text("Không tìm thấy hồ sơ")');
  await page.fill('#d-code', 'H55.26-9999-9999');
  await page.tap('button[type=submit]');
  await page.waitForSelector('[data-error]:has-text("Không tìm thấy hồ sơ")');
  await page.fill('#d-code', 'H55.26-1124-0002');
  await page.fill('#d-check', '5678');
  await page.tap('button[type=submit]');
  await page.waitForSelector('[data-dossier="H55.26-1124-0002"]');
  const text = await page.locator('.result').innerText();
  assert.match(text, /Cần bổ sung hồ sơ/);
  assert.match(text, /Hợp đồng thuê nhà có công chứng/);
  assert.match(text, /Trần T\*\* B\*\*/, 'the name masked');
  assert.doesNotMatch(text, /Trần Thị Bình/);
  await done(page);
});

test('a dossier handed in at a counter: its lookup says where and when, and what came of it', async () => {
  // Quầy 5 receives a Lý lịch tư pháp visit (the demo sends it on to Trả kết quả) and names the dossier at finish.
  const admin = await server.admin();
  const t = await ticket('L');
  const held = (await server.call('GET', '/api/state', undefined, admin)).json.counters.find((k) => k.id === 5).ticket;
  if (held) assert.equal((await server.call('POST', `/api/tickets/${held.id}/finish`, {}, admin)).status, 200, 'the demo\'s call at Quầy 5 done');
  const called = await server.call('POST', '/api/counters/5/call', { ticket: t.id, reason: 'thử nghiệm' }, admin);
  assert.equal(called.status, 200, called.text);
  const outcome = { procedure: '1.001193', dossier: 'H55.26-1124-0001', result: 'received' };
  const finished = await server.call('POST', `/api/tickets/${t.id}/finish`, { outcome }, admin);
  assert.equal(finished.status, 200, finished.text);
  const page = await phone();
  await page.goto(server.url + '/m/d?code=H55.26-1124-0001');
  await page.fill('#d-check', '1234');
  await page.tap('button[type=submit]');
  await page.waitForSelector('[data-dossier="H55.26-1124-0001"] [data-visit="5"]');
  const line = await page.locator('[data-visit="5"]').innerText();
  assert.match(line, /Đã tiếp nhận hồ sơ tại Quầy 5 \(Lý lịch tư pháp\)/);
  assert.match(await page.locator('.result').innerText(), /Tại trung tâm này/);
  await done(page);
});

test('the hall queue: waiting per service and the last calls', async () => {
  const page = await phone();
  await page.goto(server.url + '/m/q');
  await page.waitForSelector('[data-service="A"]');
  assert.match(await page.locator('[data-call] >> nth=0').innerText(), /→ Quầy/);
  const before = Number(await page.locator('[data-service="G"] [data-waiting]').getAttribute('data-waiting'));
  await server.issue('G');
  await page.waitForSelector(`[data-service="G"] [data-waiting="${before + 1}"]`);
  await done(page);
});

test('axe-core finds no violations on any phone page', async () => {
  const mine = await ticket('M');
  const page = await phone({ bypassCSP: true });
  const check = async (path, ready, what) => {
    await page.goto(server.url + path);
    await page.waitForSelector(ready);
    await axe(page, what);
  };
  await check(mine.path, '[data-action="leave"]', 'a waiting ticket');
  await page.tap('[data-action="sms"]');
  await page.waitForSelector('#sms-phone');
  await axe(page, 'a waiting ticket with the text-message form');
  await page.tap('[data-action="leave"]');
  await page.waitForSelector('dialog[open]');
  await axe(page, 'the leave confirmation');
  await check('/t/AAAAAAAAAAAAAAAAAAAAAA', '[data-missing]', 'the kind 404 page');
  await check('/m/', '#q', 'home');
  await page.fill('#q', 'ho tich');
  await page.waitForSelector('.hits a');
  await axe(page, 'home with hits');
  await check('/m/p/1.001193/', '.checklist li', 'a procedure');
  await check('/m/d?code=H55.26-1124-0001', '#d-code', 'dossier lookup');
  await page.fill('#d-check', '1234');
  await page.tap('button[type=submit]');
  await page.waitForSelector('[data-dossier]');
  await axe(page, 'a dossier');
  await check('/m/q', '[data-service]', 'the hall queue');
  await page.tap('button.lang');
  await page.waitForSelector('text=The queue now');
  await axe(page, 'the hall queue in English');
  await page.context().close();
});

test('too many dossier lookups are told kindly, with the wait', async () => {
  const page = await phone();
  await page.goto(server.url + '/m/d?code=H55.26-1124-0001');
  await page.fill('#d-check', '9');
  for (let i = 0; i < 40; i++) {
    await page.tap('button[type=submit]');
    await page.waitForSelector('[data-error]');
    if (/nhiều lần/.test(await page.locator('[data-error]').innerText())) break;
  }
  assert.match(await page.locator('[data-error]').innerText(), /Bạn đã tra cứu nhiều lần\. Xin thử lại sau \d+ giây\./);
  await done(page);
});
