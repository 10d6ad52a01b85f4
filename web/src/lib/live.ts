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
  // A visit of several steps (issue 22): the step it is at (0: its first), the services still to come, and
  // since when it waits at this step's line; parked (sent for a paper): by which counter, until when, why.
  step?: number;
  next_steps?: string[];
  step_since?: number;
  queued_at?: number;
  finished_at?: number;
  parked_by?: number;
  parked_until?: number;
  park_reason?: string;
  returns?: number;
}

export interface Service {
  code: string;
  name_vi: string;
  name_en: string;
  prefix: string;
  est_wait_s: number;
  open: string;
  close: string;
  next_steps?: string[]; // the services a visit goes through after this one (issue 22)
  outcome?: 'none' | 'optional' | 'required'; // whether finish asks what the visit came to
}

export interface Counter {
  id: number;
  name: string;
  tiers: string[][];
  paused: boolean;
  ticket: number; // 0: free
  staff: string; // as the server's snapshot says: the one signed in here (issue 22), else the last who acted here
  signed_in?: string; // who is signed in ('' nobody): the snapshot's word, then the events
  last_by?: string; // the last who acted here, from the events
  since: number; // when its current state began, ms
  pause_reason?: string; // the break's reason: the snapshot's, then its event
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
  // Newest last, for rating tablets and the console's "Tiếp theo": where the visit goes next, if it goes on.
  finished: { ticket: number; number: string; counter: number; at: number; next_step?: string }[];
  clock?: ClockStatus; // absent from a server that does not report it
  policy?: { park_max_minutes: number }; // absent from an older server
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
             since: t ? t.started_at || t.called_at : 0, signed_in: k.signed_in, pause_reason: k.pause_reason || undefined };
  });
  const devices = new Map<string, DeviceStatus>();
  for (const d of s.devices ?? []) devices.set(d.device, d);
  return { seq: s.seq, day: s.day, center: s.center, services: s.services, counters, categories: s.categories,
           tickets, devices, calls: 0, finished: [], clock: s.clock, policy: s.policy };
}

// One event folded into the state, as the engine folds it.
function apply(s: QueueState, e: any) {
  const t = s.tickets.get(e.ticket);
  const counter = s.counters.find((k) => k.id === (e.counter ?? e.from_counter));
  if (counter && e.by) counter.last_by = e.by;
  const free = () => {
    if (counter && counter.ticket === e.ticket) {
      counter.ticket = 0;
      counter.since = e.at;
    }
  };
  switch (e.type) {
    case 'ticket_issued':
      s.tickets.set(e.ticket.id, e.ticket);
      break;
    case 'ticket_called':
      if (t) Object.assign(t, { state: 'called', counter: e.counter, target_counter: 0, called_at: e.at, started_at: 0, recalls: 0 });
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
      if (t && e.next_step) {
        // The same ticket, the same number, in the next step's line (as the engine folds it).
        Object.assign(t, { state: 'waiting', service: e.next_step, next_steps: e.later_steps ?? [], step: (t.step ?? 0) + 1,
                           step_since: e.step_since, queued_at: e.at, finished_at: e.at, target_counter: 0, booked: false, recalls: 0 });
      } else s.tickets.delete(e.ticket);
      s.finished.push({ ticket: e.ticket, number: e.number, counter: e.counter, at: e.at, ...(e.next_step ? { next_step: e.next_step } : {}) });
      if (s.finished.length > 100) s.finished.shift();
      break;
    case 'ticket_no_show':
      free();
      if (t) t.state = 'no_show';
      break;
    case 'ticket_parked':
      free();
      if (t) Object.assign(t, { state: 'parked', parked_by: e.counter, parked_until: e.until, park_reason: e.reason ?? '' });
      break;
    case 'ticket_returned':
      if (t) Object.assign(t, { state: 'called', counter: e.counter, target_counter: 0, called_at: e.at, started_at: 0, recalls: 0,
                                returns: (t.returns ?? 0) + 1 });
      if (counter) Object.assign(counter, { ticket: e.ticket, since: e.at });
      s.calls += 1;
      break;
    case 'staff_signed_in':
    case 'staff_signed_out':
      if (counter) counter.signed_in = e.type === 'staff_signed_in' ? e.staff : '';
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
      if (counter) Object.assign(counter, { paused: e.type === 'counter_paused', since: counter.ticket ? counter.since : e.at,
                                            pause_reason: e.type === 'counter_paused' ? e.reason ?? '' : undefined });
      break;
  }
  // The server's `staff`: the one signed in, else the last who acted there.
  if (counter && (e.by || counter.signed_in !== undefined))
    counter.staff = counter.signed_in === undefined ? e.by : counter.signed_in || counter.last_by || counter.staff;
}

// ---- Views the pages share.

export function waitingOf(s: QueueState, service: string): Ticket[] {
  return [...s.tickets.values()].filter((t) => t.state === 'waiting' && t.service === service && !t.target_counter);
}

// Where a waiting ticket stands in its line: a later step of a visit from the
// place its finish gave it, a booked one from its slot, a walk-in from its issue.
export function placeOf(t: Ticket): number {
  return t.step ? t.step_since ?? t.issued_at : t.booked && t.slot_at ? t.slot_at : t.issued_at;
}

// The tickets a counter may call, in tier order: those sent to it, then its tiers' services.
export function waitingFor(s: QueueState, counter: Counter): Ticket[] {
  const services = new Set(counter.tiers.flat());
  return [...s.tickets.values()]
    .filter((t) => t.state === 'waiting' && (t.target_counter === counter.id || (!t.target_counter && services.has(t.service))))
    .sort((a, b) => placeOf(a) - placeOf(b) || a.id - b.id);
}

// Tickets parked (sent for a paper) that this counter may call back: those it
// parked and those of its services, the first to run out first.
export function parkedFor(s: QueueState, counter: Counter): Ticket[] {
  const services = new Set(counter.tiers.flat());
  return [...s.tickets.values()]
    .filter((t) => t.state === 'parked' && (t.parked_by === counter.id || services.has(t.service)))
    .sort((a, b) => (a.parked_until ?? 0) - (b.parked_until ?? 0) || a.id - b.id);
}

export function serviceOf(s: QueueState, code: string): Service | undefined {
  return s.services.find((x) => x.code === code);
}

export function serviceName(s: QueueState, code: string, lang: string): string {
  const svc = s.services.find((x) => x.code === code);
  return svc ? (lang === 'en' ? svc.name_en || svc.name_vi : svc.name_vi) : code;
}

export function categoryName(s: QueueState, code: string, lang: string): string {
  const c = s.categories.find((x) => x.code === code);
  return c ? (lang === 'en' ? c.name_en || c.name_vi : c.name_vi) : code;
}
