// Admin pages and sessions in chromium against a real server: an admin adds a
// counter and a user for it, and that user's console works at once; a staff
// user is refused the admin page; wrong passwords are told and then throttled;
// a session closed by the admin sends an open console back to the login with
// words, without a reload; a transfer to a service that is gone is explained.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { stage, open, signIn, console_, screenshots } from './harness.js';

let server, browser;
stage((s, b) => { server = s; browser = b; });

async function adminPage(tab = 'center') {
  const page = await open(browser, server, `/admin/#${tab}`);
  await signIn(page, 'admin', server.creds.admin.password);
  return page;
}

test('an admin adds a counter and a user for it, and that console can call at once', async () => {
  const page = await adminPage('center');
  await page.waitForSelector('table[data-table=counters] tbody tr');
  const before = await page.locator('table[data-table=counters] tbody tr').count();
  await page.click('button[data-add=counter]');
  const i = before;
  await page.fill(`input[name=counter_name_${i}]`, 'Quầy 9 — Một cửa');
  await page.fill(`input[name=counter_tiers_${i}]`, 'T;A');
  await page.locator(`input[name=counter_tiers_${i}]`).blur();
  await page.click('button[data-save=center]');
  await page.waitForSelector('.ok[role=status]');
  await page.evaluate(() => scrollTo(0, 0));
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, 'admin-center-1366x768.png') });
  const center = (await server.call('GET', '/api/admin/center', undefined, await server.admin())).json;
  const added = center.counters.at(-1);
  assert.equal(added.name, 'Quầy 9 — Một cửa');
  assert.deepEqual(added.tiers, [['T'], ['A']]);

  await page.click('nav.tabs button:text("Tài khoản")');
  await page.fill('input[name=new_user]', 'lan');
  await page.fill('input[name=new_password]', 'mat-khau-lan-9');
  await page.fill('input[name=new_counter]', String(added.id));
  await page.click('form.fields button[type=submit]');
  await page.waitForSelector('tr[data-user=lan]');

  const t = await server.issue('T');
  const console9 = await open(browser, server, '/console/');
  await signIn(console9, 'lan', 'mat-khau-lan-9');
  await console9.waitForSelector('header.top:has-text("Quầy 9 — Một cửa")');
  await console9.waitForSelector(`.line li:has-text("${t.number}")`);
  await console9.keyboard.press('n');
  await console9.waitForSelector(`.current[data-ticket="${t.number}"]`);
  await console9.context().close();
  await page.context().close();
});

test('an admin creates a kiosk token, sees it once, and revokes it', async () => {
  const page = await adminPage('devices');
  await page.waitForSelector('table[data-table=devices] tbody tr');
  await page.fill('input[name=device_name]', 'Kiosk tầng 2');
  await page.click('form.fields button[type=submit]');
  const token = await page.locator('code[data-token]').innerText();
  assert.equal((await server.call('POST', '/api/tickets', { service: 'A' }, token)).status, 201);
  await page.click('tr[data-device="Kiosk tầng 2"] button');
  await page.waitForSelector('tr[data-device="Kiosk tầng 2"]', { state: 'detached' });
  assert.equal((await server.call('POST', '/api/tickets', { service: 'A' }, token)).status, 401);
  await page.context().close();
});

test('a staff user is refused the admin pages', async () => {
  const page = await open(browser, server, '/admin/');
  await signIn(page, server.staff(1).user, server.staff(1).password);
  await page.waitForSelector('.login .error:has-text("quản trị viên")');
  assert.equal(await page.locator('button[data-save]').count(), 0);
  const token = await server.token(server.staff(1).user, server.staff(1).password);
  assert.equal((await server.call('PUT', '/api/admin/center', '{}', token)).status, 403);
  await page.context().close();
});

test('a wrong password is told, and five in a row lock the user for a minute', async () => {
  const page = await open(browser, server, '/console/');
  await signIn(page, server.staff(4).user, 'not-the-password');
  await page.waitForSelector('.login .error:has-text("Sai tên đăng nhập hoặc mật khẩu")');
  for (let i = 0; i < 4; ++i) await server.call('POST', '/api/login', { user: server.staff(4).user, password: 'wrong' });
  await page.click('button[type=submit]');
  await page.waitForSelector('.login .error:has-text("quá nhiều lần")');
  // Even the right password waits out the lock.
  await page.fill('input[name=password]', server.staff(4).password);
  await page.click('button[type=submit]');
  await page.waitForSelector('.login .error:has-text("quá nhiều lần")');
  await page.context().close();
});

test('a session ended by the admin sends the open console back to the login, without a reload', async () => {
  const page = await console_(browser, server, 6);
  await page.evaluate(() => { window.notReloaded = true; });
  const r = await server.call('POST', `/api/admin/users/${server.staff(6).user}/logout`, undefined, await server.admin());
  assert.equal(r.status, 200);
  await page.keyboard.press('p');  // the next request finds the session gone
  await page.waitForSelector('.login .error:has-text("hết hạn")');
  assert.equal(await page.evaluate(() => window.notReloaded), true);
  await signIn(page, server.staff(6).user, server.staff(6).password);
  await page.waitForSelector('.link.online');
  await page.context().close();
});

test('a transfer to a service that no longer exists is explained', async () => {
  const page = await console_(browser, server, 7);
  const t = await server.issue('E');
  await page.waitForSelector(`.line li:has-text("${t.number}")`);
  await page.keyboard.press('n');
  await page.waitForSelector(`.current[data-ticket="${t.number}"]`);
  await page.keyboard.press('t');
  await page.waitForSelector('select[name=to_service]');  // the dialog renders after the key
  // The service list of an open dialog, as it was before an admin removed "Z".
  await page.evaluate(() => { const o = document.createElement('option'); o.value = 'Z'; o.text = 'Z'; document.querySelector('select[name=to_service]').append(o); });
  await page.selectOption('select[name=to_service]', 'Z');
  await page.click('.dialog button[type=submit]');
  await page.waitForSelector(".toast:has-text(\"no service with code 'Z'\")");
  assert.equal(await page.locator(`.current[data-ticket="${t.number}"]`).count(), 1);
  await page.context().close();
});
