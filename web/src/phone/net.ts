// net: the public API as the phone app calls it — no token, JSON in and out.
// Every failure becomes a PublicError with the HTTP status, the server's error
// code and, for 429, how many seconds to wait (Retry-After), so each page can
// say in words what happened.

export class PublicError extends Error {
  constructor(public status: number, public code: string, public retryAfter = 0) {
    super(code);
  }
}

export async function request(method: string, path: string, body?: unknown): Promise<any> {
  let reply: Response;
  try {
    reply = await fetch(path, {
      method,
      cache: 'no-store',
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new PublicError(0, 'offline');
  }
  if (reply.ok) return reply.json();
  let code = 'http_' + reply.status;
  try {
    code = (await reply.json()).error.code ?? code;
  } catch {
    /* not JSON: keep the status */
  }
  throw new PublicError(reply.status, code, Number(reply.headers.get('Retry-After')) || 0);
}

export const get = (path: string) => request('GET', path);
export const post = (path: string, body: unknown = {}) => request('POST', path, body);

// The ticket as GET /api/public/tickets/{key} and its stream give it.
export interface TicketView {
  number: string;
  service: string;
  service_name_vi: string;
  service_name_en: string;
  state: 'waiting' | 'called' | 'serving' | 'done' | 'no_show' | 'cancelled' | 'expired' | 'parked';
  people_ahead: number;
  est_wait_s: number;
  counter: number;
  counter_name?: string;
  called_at: number;
  day: number;
  center: string;
  late_used?: boolean;
  late_places?: number;
  alert_ahead?: number;
  messages?: { phone?: string; email?: string; ahead: number } | null;
  // A visit across desks (issue 22): the step it is at (0: its first service),
  // the services still to come, and parked, the center's HH:MM to be back by.
  step?: number;
  next_steps?: { service: string; name_vi: string; name_en: string }[];
  returns?: number;
  parked_until?: number;
  parked_until_local?: string;
}
