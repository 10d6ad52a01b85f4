// follow: one ticket, live. The view comes from GET /api/public/tickets/{key},
// then from its WebSocket (/events), whose every message is the whole view,
// so nothing has to be pieced together and a missed message costs nothing.
//
// A phone sleeps, walks out of Wi-Fi and into 4G, and the server may restart:
// when the socket closes the link is shown as lost (honestly, at once), the
// view is fetched again and the socket reopened with a growing delay; waking
// up (visibilitychange) or getting a network (online) tries again at once. A
// 404 means the key is wrong or its day is over: the page says so and stops.

import { get, PublicError, type TicketView } from './net';

export type Link = 'connecting' | 'online' | 'offline';
export interface FollowState {
  view: TicketView | null;
  link: Link;
  missing: boolean; // 404: unknown or expired key
}

const FINAL = new Set(['done', 'cancelled', 'expired']);

export class Follow {
  state: FollowState = { view: null, link: 'connecting', missing: false };
  private ws: WebSocket | null = null;
  private timer = 0;
  private attempts = 0;
  private stopped = false;
  private listeners = new Set<() => void>();
  private wake = () => {
    if (document.visibilityState === 'visible') this.retryNow();
  };
  private retryNow = () => {
    clearTimeout(this.timer);
    this.attempts = 0;
    this.refresh();
  };

  constructor(private key: string) {}

  subscribe(f: () => void) {
    this.listeners.add(f);
    return () => this.listeners.delete(f);
  }

  start() {
    document.addEventListener('visibilitychange', this.wake);
    window.addEventListener('online', this.retryNow);
    this.refresh();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    document.removeEventListener('visibilitychange', this.wake);
    window.removeEventListener('online', this.retryNow);
    this.ws?.close();
  }

  // A reply of a POST (cancel, late) is the new view too.
  show(view: TicketView) {
    this.set({ view });
  }

  private set(part: Partial<FollowState>) {
    this.state = { ...this.state, ...part };
    this.listeners.forEach((f) => f());
  }

  private async refresh() {
    if (this.stopped) return;
    try {
      const view: TicketView = await get(`/api/public/tickets/${encodeURIComponent(this.key)}`);
      if (this.stopped) return;
      this.set({ view, missing: false });
      if (!this.ws) this.open();
    } catch (e) {
      if (e instanceof PublicError && e.status === 404) {
        this.set({ missing: true, link: 'offline' });
        this.stop();
        return;
      }
      this.set({ link: 'offline' });
      this.later();
    }
  }

  private open() {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(`${scheme}//${location.host}/api/public/tickets/${encodeURIComponent(this.key)}/events`);
    this.ws = ws;
    ws.onopen = () => {
      this.attempts = 0;
      this.set({ link: 'online' });
    };
    ws.onmessage = (m) => {
      try {
        const msg = JSON.parse(m.data);
        if (msg.type === 'ticket' && msg.ticket) this.set({ view: msg.ticket, link: 'online' });
      } catch {
        /* not ours: ignore */
      }
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (this.stopped) return;
      // A finished ticket has nothing more to say; anything else must come back.
      if (this.state.view && FINAL.has(this.state.view.state)) return;
      this.set({ link: 'offline' });
      this.later();
    };
  }

  // 0.5 s, 1 s, 2 s … up to 10 s, a little random so that a hall full of
  // phones does not knock on a restarted server all at the same instant.
  private later() {
    clearTimeout(this.timer);
    const ms = Math.min(10_000, 500 * 2 ** this.attempts++) * (0.75 + Math.random() / 2);
    this.timer = window.setTimeout(() => this.refresh(), ms);
  }
}
