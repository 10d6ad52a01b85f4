// harness: what every browser test needs — a real queue-server process on a
// free loopback port with its own SQLite folder and the built UI, Debian's
// chromium driven by playwright-core, and a few API calls to set the scene.
// Nothing here sleeps on the clock: every wait is for a line, a reply or a
// thing on the page.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';
import { before, after } from 'node:test';

const here = import.meta.dirname;
export const serverBinary = process.env.QUEUE_SERVER ?? resolve(here, '../../build-test/queue-server/queue-server');
export const webDist = resolve(here, '../dist');
export const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const demoCenterToml = resolve(here, '../../assets/demo-center.toml');

export class Server {
  // `central`: { conninfo, code } ships this demo center to a central PostgreSQL every second.
  // `toml`: (data folder) => TOML added to the demo center's (e.g. one more [[phone.sender]]).
  // `phone`: a [phone] table in place of the demo's (whose file sender writes DATA/messages.jsonl).
  constructor({ central, toml, phone } = {}) {
    this.data = mkdtempSync(join(tmpdir(), 'center-web-'));
    this.port = 0;
    this.args = [];
    let extra = '';
    if (central) {
      extra += `\n[central]\nconninfo = "${central.conninfo}"\ncenter_code = "${central.code}"\ninterval_seconds = 1\n`;
      this.logLevel = 'info';  // the shipper's "shipped" lines are what a test waits on
    }
    if (toml) extra += '\n' + toml(this.data);
    let center = readFileSync(demoCenterToml, 'utf8');
    if (phone !== undefined) {
      center = center.slice(0, center.indexOf('\n[phone]')) + '\n' + phone + '\n';
      extra ||= '\n';
    }
    if (extra) {
      const config = join(this.data, 'center.toml');
      writeFileSync(config, center + extra);
      this.args = ['--config', config];
    }
    this.waiters = [];
    this.logLevel ??= 'warn';
  }

  // Starts (or starts again on the same port and data) and resolves once it listens.
  async start() {
    this.proc = spawn(serverBinary, ['--data', this.data, '--listen', `127.0.0.1:${this.port}`, '--demo', '--web', webDist,
                                     '--log-level', this.logLevel, ...this.args], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise((_, reject) => this.proc.once('exit', (code) => reject(new Error(`queue-server exited with ${code}`))));
    const lines = createInterface({ input: this.proc.stdout });
    lines.on('line', (line) => { this.waiters = this.waiters.filter((w) => !(w.pattern.test(line) && (w.ok(line), true))); });
    const listening = new Promise((ok) => lines.on('line', (line) => {
      const m = line.match(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
      if (m) ok(Number(m[1]));
    }));
    this.port = await Promise.race([listening, exited]);
    this.url = `http://127.0.0.1:${this.port}`;
    this.creds = JSON.parse(readFileSync(join(this.data, 'demo-credentials.json'), 'utf8'));
    return this;
  }

  // Resolves with the next line of the server's output that matches (a log line: an event, not a clock).
  line(pattern) {
    return new Promise((ok) => this.waiters.push({ pattern, ok }));
  }

  async kill() {
    const gone = new Promise((ok) => this.proc.once('exit', ok));
    this.proc.kill('SIGKILL');
    await gone;
  }

  async stop() {
    if (this.proc.exitCode === null) {
      const gone = new Promise((ok) => this.proc.once('exit', ok));
      this.proc.kill('SIGTERM');
      await gone;
    }
    rmSync(this.data, { recursive: true, force: true });
  }

  staff(counter) {
    return this.creds.staff.find((s) => s.counter === counter);
  }

  async call(method, path, body, token = '') {
    const reply = await fetch(this.url + path, {
      method,
      headers: token ? { Authorization: `Bearer ${token}` } : {},
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await reply.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* CSV */ }
    return { status: reply.status, json, text };
  }

  async token(user, password) {
    const r = await this.call('POST', '/api/login', { user, password });
    if (r.status !== 200) throw new Error(`login ${user}: ${r.text}`);
    return r.json.token;
  }

  async admin() {
    return this.token('admin', this.creds.admin.password);
  }

  async issue(service, category = 'normal') {
    const r = await this.call('POST', '/api/tickets', { service, category }, this.creds.kiosk_token);
    if (r.status !== 201) throw new Error(`issue ${service}: ${r.text}`);
    return r.json;
  }
}

// One server and one browser for a file's tests: started before the first,
// handed to `ready` (which may seed them), stopped after the last.
export function stage(ready) {
  let server, browser;
  before(async () => {
    server = await new Server().start();
    browser = await launch();
    await ready(server, browser);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });
}

export async function launch() {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync', '--font-render-hinting=none'],
  });
}

// A new browser context (its own localStorage: its own session) on a page of the server.
export async function open(browser, server, path, { width = 1366, height = 768, lang = 'vi' } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, locale: lang === 'vi' ? 'vi-VN' : 'en-US' });
  const page = await context.newPage();
  page.on('pageerror', (e) => { throw e; });
  await page.goto(server.url + path);
  return page;
}

export async function signIn(page, user, password) {
  await page.fill('input[name=user]', user);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
}

export async function console_(browser, server, counter) {
  const page = await open(browser, server, '/console/');
  const s = server.staff(counter);
  await signIn(page, s.user, s.password);
  await page.waitForSelector('.link.online');
  return page;
}

// Where the tests' screenshots go: test-results/ (ignored by git) unless
// SCREENSHOT_DIR says otherwise; the committed ones in web/screenshots are
// made with SCREENSHOT_DIR=screenshots.
export const screenshots = resolve(here, '..', process.env.SCREENSHOT_DIR ?? 'test-results/screenshots');
