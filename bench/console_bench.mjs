// console_bench: counter console action → screen updated, in Debian's chromium
// against the real queue-server (Release) on loopback. 200 actions (call next,
// start, finish, over and over) are clicked inside the page, and each is timed
// from the click to the DOM showing the server's event — request, durable
// write, WebSocket event, render. The baseline, in the same page and run, is a
// plain GET /healthz round trip. Prints p50/p99; passes or fails on nothing.
import { launch, Server, console_ } from '../web/tests/harness.js';

const actions = Number(process.env.ACTIONS ?? 200);
const server = await new Server().start();
const browser = await launch();
try {
  const page = await console_(browser, server, 1);
  const tickets = Math.ceil(actions / 3) + 1;
  for (let i = 0; i < tickets; ++i) await server.issue('A');
  await page.waitForSelector(`.count[data-service="A"] b:text("${tickets}")`);

  const times = await page.evaluate(async (n) => {
    const cycle = ['next', 'start', 'finish'];
    const shows = {
      next: () => document.querySelector('.current.called'),
      start: () => document.querySelector('.current.serving'),
      finish: () => document.querySelector('.current.idle'),
    };
    const waitFor = (test) => new Promise((done) => {
      if (test()) return done();
      const seen = new MutationObserver(() => { if (test()) { seen.disconnect(); done(); } });
      seen.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    });
    const enabled = (a) => () => { const b = document.querySelector(`button[data-action="${a}"]`); return b && !b.disabled; };
    const out = { action: [], baseline: [] };
    for (let i = 0; i < n; ++i) {
      const a = cycle[i % 3];
      await waitFor(enabled(a));
      const t0 = performance.now();
      document.querySelector(`button[data-action="${a}"]`).click();
      await waitFor(shows[a]);
      await new Promise((r) => requestAnimationFrame(() => r()));  // until the frame with it is drawn
      out.action.push(performance.now() - t0);
      const b0 = performance.now();
      await fetch('/healthz');
      out.baseline.push(performance.now() - b0);
    }
    return out;
  }, actions);

  const pct = (v, p) => { const s = [...v].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]; };
  const line = (name, v) => console.log(`  ${name.padEnd(36)} p50 ${pct(v, 0.5).toFixed(1).padStart(6)} ms   p99 ${pct(v, 0.99).toFixed(1).padStart(6)} ms   max ${Math.max(...v).toFixed(1).padStart(6)} ms`);
  console.log(`console_bench: ${actions} actions (next, start, finish) at counter 1, chromium ${browser.version()}, 1366x768`);
  line('GET /healthz from the page (baseline)', times.baseline);
  line('action → screen updated', times.action);
  console.log(`  ratio p50 action / baseline: ${(pct(times.action, 0.5) / pct(times.baseline, 0.5)).toFixed(1)}x`);
} finally {
  await browser.close();
  await server.stop();
}
