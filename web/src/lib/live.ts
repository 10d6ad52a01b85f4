// live: the queue as the server streams it (GET /api/events, WebSocket).
//
// The page never guesses: it shows what the server's events say. A snapshot
// comes first, then every event in order; `seq` must rise by one, and a gap, a
// new center setup or a new day makes it ask for a fresh snapshot. When the
// link drops (network, server restart) it reconnects by itself with backoff
// and resumes after the last seq it applied, so no page reload is ever needed.

import { api, sessionExpired, token, ApiError } from './api';

export interface Ticket {
  id: number;
  number: string;
  service: string;
  category: string;
  priority: boolean;
  state: string;
  counter: number;
  target_counter: number;
  issued_at: number;
  called_at: number;
  started_at: number;
  recalls: number;
  transfers: number;
  est_wait_s: number;
  source?: string;
  // From a booking (issue 21): its id, whether it came on time (ahead of walk-ins), its slot's start, the masked name.
  booking?: number;
  booked?: boolean;
  slot_at?: number;
  masked_name?: string;
}

export interface Service {
  code: string;
  name_vi: string;
  name_en: string;
  prefix: string;
  est_wait_s: number;
  open: string;
  close: string;
}

export interface Counter {
  id: number;
  name: string;
  tiers: string[][];
  paused: boolean;
  ticket: number; // 0: free
  staff: string;
  since: number; // when its current state began, ms
}

export interface Category {
  code: string;
  name_vi: string;
  name_en: string;
  priority: boolean;
}

export interface DeviceStatus {
  device: string;
  role: string;
  printer: string;
  detail: string;
  at: number;
}

// The server's clock (api::ServerClock): time keeps moving when the wall clock steps back.
export interface ClockStatus {
  ahead_of_wall_ms: number; // server time minus the machine's wall clock
  steps: number; // wall clock steps seen since the server started
  last_step_at_ms: number; // the wall clock just after the newest step, 0: none
  last_step_ms: number; // its signed size: < 0 set back, > 0 set forward
}

export interface QueueState {
  seq: number;
  day: number;
  center: { name: string; level: string };
  services: Service[];
  counters: Counter[];
  categories: Category[];
  tickets: Map<number, Ticket>; // waiting, no-show and held tickets of today
  devices: Map<string, DeviceStatus>;
  calls: number; // calls (not recalls) seen since the snapshot: pages ask for figures again when it moves
  finished: { ticket: number; number: string; counter: number; at: number }[]; // newest last, for rating tablets
  clock?: ClockStatus; // absent from a server that does not report it
}

export type LinkState = 'connecting' | 'online' | 'offline';

type Listener = () => void;

export class Live {
  state: QueueState | null = null;
  link: LinkState = 'connecting';
  private socket: WebSocket | null = null;
  private listeners = new Set<Listener>();
  private delay = 500;
  private closed = false;
  private retry: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly tokenOf: () => string = token) {}

  start() {
    this.closed = false;
    this.connect(0);
  }

  stop() {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    this.socket?.close();
  }

  subscribe(f: Listener): () => void {
    this.listeners.add(f);
    return () => this.listeners.delete(f);
  }

  // A fresh snapshot: after a gap, a new center setup or a new day.
  resync() {
    this.state = null;
    this.socket?.close();
  }

  private changed() {
    this.listeners.forEach((f) => f());
  }

  private connect(since: number) {
    if (this.closed) return;
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const url = `${scheme}://${location.host}/api/events?since=${since}&token=${encodeURIComponent(this.tokenOf())}`;
    const ws = new WebSocket(url);
    this.socket = ws;
    ws.onmessage = (m) => {
      this.delay = 500;
      if (this.link !== 'online') this.link = 'online';
      this.receive(JSON.parse(m.data));
    };
    ws.onclose = () => {
      if (this.socket !== ws) return;
      this.socket = null;
      if (this.closed) return;
      this.link = 'offline';
      this.changed();
      this.checkToken();
      this.retry = setTimeout(() => this.connect(this.state?.seq ?? 0), this.delay);
      this.delay = Math.min(this.delay * 2, 10_000);
    };
  }

  // A refused WebSocket says nothing about why: ask, so a revoked or expired
  // session shows the login instead of "reconnecting" forever.
  private async checkToken() {
    try {
      await api.get('/api/me');
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        this.stop();
        sessionExpired();
      }
    }
  }

  private receive(m: any) {
    if (m.type === 'snapshot') {
      this.state = fromSnapshot(m.state);
      return this.changed();
    }
    if (m.type === 'device_status') {
      this.state?.devices.set(m.device, m);
      return this.changed();
    }
    if (m.seq === undefined || !this.state) return; // other notices (catalog, dossiers)
    if (m.seq <= this.state.seq) return;
    if (m.seq !== this.state.seq + 1 || m.type === 'center_configured' || m.type === 'day_opened') return this.resync();
    apply(this.state, m);
    this.state.seq = m.seq;
    this.changed();
  }
}

function fromSnapshot(s: any): QueueState {
  const tickets = new Map<number, Ticket>();
  for (const t of s.tickets) tickets.set(t.id, t);
  const counters: Counter[] = s.counters.map((k: any) => {
    if (k.ticket) tickets.set(k.ticket.id, k.ticket);
    const t = k.ticket;
    return { id: k.id, name: k.name, tiers: k.tiers, paused: k.paused, ticket: t ? t.id : 0, staff: k.staff ?? '',
             since: t ? t.started_at || t.called_at : 0 };
  });
  const devices = new Map<string, DeviceStatus>();
  for (const d of s.devices ?? []) devices.set(d.device, d);
  return { seq: s.seq, day: s.day, center: s.center, services: s.services, counters, categories: s.categories,
           tickets, devices, calls: 0, finished: [], clock: s.clock };
}

// One event folded into the state, as the engine folds it.
function apply(s: QueueState, e: any) {
  const t = s.tickets.get(e.ticket);
  const counter = s.counters.find((k) => k.id === (e.counter ?? e.from_counter));
  const free = () => {
    if (counter && counter.ticket === e.ticket) {
      counter.ticket = 0;
      counter.since = e.at;
    }
  };
  if (counter && e.by) counter.staff = e.by;
  switch (e.type) {
    case 'ticket_issued':
      s.tickets.set(e.ticket.id, e.ticket);
      break;
    case 'ticket_called':
      if (t) Object.assign(t, { state: 'called', counter: e.counter, target_counter: 0, called_at: e.at, recalls: 0 });
      if (counter) Object.assign(counter, { ticket: e.ticket, since: e.at });
      s.calls += 1;
      break;
    case 'ticket_recalled':
      if (t) t.recalls = e.recalls;
      break;
    case 'ticket_started':
      if (t) Object.assign(t, { state: 'serving', started_at: e.at });
      if (counter) counter.since = e.at;
      break;
    case 'ticket_finished':
      free();
      s.tickets.delete(e.ticket);
      s.finished.push({ ticket: e.ticket, number: e.number, counter: e.counter, at: e.at });
      if (s.finished.length > 100) s.finished.shift();
      break;
    case 'ticket_no_show':
      free();
      if (t) t.state = 'no_show';
      break;
    case 'ticket_reactivated':
      if (t) t.state = 'waiting';
      break;
    case 'ticket_transferred':
      free();
      if (t) Object.assign(t, { state: 'waiting', service: e.to_service, target_counter: e.to_counter, transfers: t.transfers + 1 });
      break;
    case 'ticket_cancelled':
      free();
      s.tickets.delete(e.ticket);
      break;
    case 'counter_paused':
    case 'counter_resumed':
      if (counter) Object.assign(counter, { paused: e.type === 'counter_paused', since: counter.ticket ? counter.since : e.at });
      break;
  }
}

// ---- Views the pages share.

export function waitingOf(s: QueueState, service: string): Ticket[] {
  return [...s.tickets.values()].filter((t) => t.state === 'waiting' && t.service === service && !t.target_counter);
}

// The tickets a counter may call, in tier order: those sent to it, then its tiers' services.
export function waitingFor(s: QueueState, counter: Counter): Ticket[] {
  const services = new Set(counter.tiers.flat());
  return [...s.tickets.values()]
    .filter((t) => t.state === 'waiting' && (t.target_counter === counter.id || (!t.target_counter && services.has(t.service))))
    .sort((a, b) => a.issued_at - b.issued_at || a.id - b.id);
}

export function serviceName(s: QueueState, code: string, lang: string): string {
  const svc = s.services.find((x) => x.code === code);
  return svc ? (lang === 'en' ? svc.name_en || svc.name_vi : svc.name_vi) : code;
}

export function categoryName(s: QueueState, code: string, lang: string): string {
  const c = s.categories.find((x) => x.code === code);
  return c ? (lang === 'en' ? c.name_en || c.name_vi : c.name_vi) : code;
}
