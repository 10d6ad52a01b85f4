// day: the counter's real day at the console (issue 22, docs/counter.md) — the
// dialogs that ask why (a chosen ticket called out of order, a ticket parked
// while the citizen fetches a paper, a break), the parked list with its time
// left and "Gọi lại", who is signed in at the counter, and the line that says
// where a finished visit goes next. Every action is a request; what the screen
// shows comes from the server's events (lib/live.ts), never from a guess.
import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, ApiError, type Me } from '../lib/api';
import { parkedFor, serviceName, type Counter, type QueueState, type Ticket } from '../lib/live';
import { duration } from '../lib/format';
import { language, t } from '../lib/i18n';
import { errorText } from '../lib/ui';

// The server's refusals of the day's actions in the staff's words (the rest keep the server's).
const refusals: Record<string, Parameters<typeof t>[0]> = {
  reason_required: 'day_err_reason_required', outcome_required: 'day_err_outcome_required',
  unknown_procedure: 'day_err_unknown_procedure', bad_outcome: 'day_err_bad_outcome', bad_steps: 'day_err_bad_steps',
  bad_minutes: 'day_err_bad_minutes', not_waiting: 'day_err_not_waiting', not_parked: 'day_err_not_parked',
  counter_busy: 'day_err_counter_busy', counter_paused: 'day_err_counter_paused', not_your_service: 'day_err_not_your_service',
};

export function dayError(e: unknown): string {
  if (!(e instanceof ApiError) || !refusals[e.code]) return errorText(e);
  const words = t(refusals[e.code]);
  // "a ticket is parked for 1 to 30 minutes": the center's limit (an older server's snapshot lacks it).
  const most = e.code === 'bad_minutes' ? /to (\d+) minutes/.exec(e.message)?.[1] : undefined;
  return most ? `${words} (1–${most} ${t('minutes')})` : words;
}

export const fill = (text: string, values: Record<string, string | number>) =>
  text.replace(/\{(\w+)\}/g, (m, k) => (k in values ? String(values[k]) : m));

const presetsOf = (key: Parameters<typeof t>[0]) => t(key).split('|');

// A modal dialog: focus moves into it (the field marked data-autofocus, or the
// first control), Tab stays inside, Esc cancels, and focus goes back where it was.
export function Dialog({ title, name, onClose, onSubmit, children }: {
  title: string; name: string; onClose: () => void; onSubmit: () => void; children: ComponentChildren;
}) {
  const form = useRef<HTMLFormElement>(null);
  const id = useMemo(() => `dialog-${name}-${Math.random().toString(36).slice(2, 8)}`, [name]);
  const closeRef = useRef(onClose);
  closeRef.current = onClose;
  // Before the browser paints, so that the key pressed next already lands inside.
  useLayoutEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const first = form.current?.querySelector<HTMLElement>('[data-autofocus]') ??
      form.current?.querySelector<HTMLElement>('input, select, textarea, button');
    first?.focus();
    if (first instanceof HTMLInputElement && first.type !== 'number') first.select();
    // Esc wherever the cursor is (a field inside may take it first, as the procedure results do).
    const onEscape = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      e.preventDefault();
      closeRef.current();
    };
    window.addEventListener('keydown', onEscape);
    return () => {
      window.removeEventListener('keydown', onEscape);
      if (before?.isConnected && !(before as HTMLButtonElement).disabled) before.focus();
    };
  }, []);
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && e.target instanceof HTMLSelectElement) {
      e.preventDefault();
      return form.current?.requestSubmit();
    }
    if (e.key !== 'Tab' || !form.current) return;
    const all = [...form.current.querySelectorAll<HTMLElement>('input, select, textarea, button, [tabindex="0"]')]
      .filter((x) => !(x as HTMLButtonElement).disabled);
    if (!all.length) return;
    const [first, last] = [all[0], all[all.length - 1]];
    if (e.shiftKey && document.activeElement === first) { e.preventDefault(); last.focus(); }
    else if (!e.shiftKey && document.activeElement === last) { e.preventDefault(); first.focus(); }
  };
  return (
    <div class="dialog day-dialog" data-dialog={name} role="dialog" aria-modal="true" aria-labelledby={id}>
      <form ref={form} onKeyDown={onKeyDown} onSubmit={(e) => { e.preventDefault(); onSubmit(); }}>
        <h2 id={id}>{title}</h2>
        {children}
      </form>
    </div>
  );
}

// The usual reasons, one click each; the field below takes any other.
function Presets({ list, value, onPick }: { list: string[]; value: string; onPick: (p: string) => void }) {
  return (
    <div class="presets" role="group" aria-label={t('day_presets')}>
      {list.map((p) => <button type="button" class="preset" aria-pressed={value === p} onClick={() => onPick(p)}>{p}</button>)}
    </div>
  );
}

function ReasonField({ value, set, required, autofocus }: { value: string; set: (v: string) => void; required?: boolean; autofocus?: boolean }) {
  return (
    <label>{t('day_reason')}{required ? ` (${t('day_required')})` : ''}
      <input name="reason" maxLength={200} value={value} autoComplete="off" aria-required={required ? 'true' : undefined}
        data-autofocus={autofocus ? '' : undefined} onInput={(e) => set(e.currentTarget.value)} />
    </label>
  );
}

function Buttons({ send, pending, onClose }: { send: string; pending: boolean; onClose: () => void }) {
  return (
    <div class="row">
      <button type="submit" class="primary" disabled={pending}>{send} <kbd>Enter</kbd></button>
      <button type="button" onClick={onClose}>{t('day_cancel')} <kbd>Esc</kbd></button>
    </div>
  );
}

function Refusal({ error }: { error: string }) {
  return error ? <p class="error dialog-error" role="alert">{error}</p> : null;
}

// One request from a dialog: it stays open with the server's refusal, closes on success.
function useSend(onClose: () => void) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState('');
  const send = async (path: string, body: object) => {
    setPending(true);
    setError('');
    try {
      await api.post(path, body);
      onClose();
    } catch (e) {
      setError(dayError(e));
      setPending(false);
    }
  };
  return { pending, error, send };
}

// "Gọi số này": a chosen waiting ticket out of order. The reason is required —
// the server refuses without one, and that refusal is what the dialog shows.
export function CallDialog({ ticket, counter, onClose }: { ticket: Ticket; counter: Counter; onClose: () => void }) {
  const [reason, setReason] = useState('');
  const { pending, error, send } = useSend(onClose);
  const field = useRef<HTMLDivElement>(null);
  const pick = (p: string) => { setReason(p); field.current?.querySelector('input')?.focus(); };
  return (
    <Dialog name="call" title={fill(t('day_call_title'), { number: ticket.number })} onClose={onClose}
      onSubmit={() => send(`/api/counters/${counter.id}/call`, { ticket: ticket.id, reason: reason.trim() })}>
      <p class="muted">{t('day_call_why')}</p>
      <Presets list={presetsOf('day_call_presets')} value={reason} onPick={pick} />
      <div ref={field}><ReasonField value={reason} set={setReason} required autofocus /></div>
      <Refusal error={error} />
      <Buttons send={t('day_call_chosen')} pending={pending} onClose={onClose} />
    </Dialog>
  );
}

// The ticket being served goes to fetch a paper: out of every line for some minutes.
// `most`: the center's limit in minutes (policy.park_max_minutes), when the server says it.
export function ParkDialog({ ticket, most, onClose }: { ticket: Ticket; most?: number; onClose: () => void }) {
  const [minutes, setMinutes] = useState(String(Math.min(15, most ?? 15)));
  const [reason, setReason] = useState(presetsOf('day_park_presets')[0]);
  const { pending, error, send } = useSend(onClose);
  return (
    <Dialog name="park" title={fill(t('day_park_title'), { number: ticket.number })} onClose={onClose}
      onSubmit={() => send(`/api/tickets/${ticket.id}/park`, { minutes: Number(minutes), reason: reason.trim() })}>
      <label>{t('day_park_minutes')}{most ? ` (1–${most})` : ''}
        <input name="minutes" type="number" min={1} max={most} step={1} inputMode="numeric" value={minutes} data-autofocus=""
          onInput={(e) => setMinutes(e.currentTarget.value)} />
      </label>
      <Presets list={presetsOf('day_park_presets')} value={reason} onPick={setReason} />
      <ReasonField value={reason} set={setReason} />
      <Refusal error={error} />
      <Buttons send={t('day_park_send')} pending={pending} onClose={onClose} />
    </Dialog>
  );
}

// A break, with its reason (the staff-time view keeps it; managers see it live).
export function PauseDialog({ counter, onClose }: { counter: Counter; onClose: () => void }) {
  const [reason, setReason] = useState(presetsOf('day_pause_presets')[0]);
  const { pending, error, send } = useSend(onClose);
  const field = useRef<HTMLDivElement>(null);
  const pick = (p: string) => { setReason(p); field.current?.querySelector('input')?.focus(); };
  return (
    <Dialog name="pause" title={t('day_pause_title')} onClose={onClose}
      onSubmit={() => send(`/api/counters/${counter.id}/pause`, { reason: reason.trim() })}>
      <Presets list={presetsOf('day_pause_presets')} value={reason} onPick={pick} />
      <div ref={field}><ReasonField value={reason} set={setReason} autofocus /></div>
      <Refusal error={error} />
      <Buttons send={t('day_pause_send')} pending={pending} onClose={onClose} />
    </Dialog>
  );
}

export async function returnParked(ticket: Ticket) {
  await api.post(`/api/tickets/${ticket.id}/return`, {});
}

// Tickets out fetching a paper, the first to run out first: time left, and
// "Gọi lại" when the citizen is back (key B: the first of them).
export function ParkedList({ state, counter, ticket, now, onError }: {
  state: QueueState; counter: Counter; ticket?: Ticket; now: number; onError: (text: string) => void;
}) {
  const lang = language();
  const parked = parkedFor(state, counter);
  if (!parked.length) return null;
  const blocked = counter.paused || ticket?.state === 'called';
  return (
    <section class="parked" aria-labelledby="parked-title">
      <h2 id="parked-title">{t('day_parked')} ({parked.length}) <kbd>B</kbd></h2>
      <ul class="line">
        {parked.map((x) => {
          const left = (x.parked_until ?? 0) - now;
          return (
            <li data-parked={x.number} class={left <= 0 ? 'over' : ''}>
              <b>{x.number}</b>
              <span class="parked-what">
                <span>{serviceName(state, x.service, lang)}</span>
                {x.park_reason && <small class="muted">{x.park_reason}</small>}
              </span>
              <span class="grow" />
              <span class="left" title={t('day_left')}>{left > 0 ? `${t('day_left')} ${duration(left)}` : t('day_overdue')}</span>
              <button type="button" data-return={x.id} disabled={blocked} aria-label={`${t('day_return')} ${x.number}`}
                onClick={() => returnParked(x).catch((e) => onError(dayError(e)))}>{t('day_return')}</button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

// Who is at the counter: the one signed in ('' nobody); from an older server whose
// snapshot lacks `signed_in`, the one it names (signed in, or the last who acted there).
const staffOf = (counter: Counter) => counter.signed_in ?? counter.staff;

// Who is signed in at this counter; someone else (a manager covering) may take it over.
export function StaffAt({ counter, me, onError }: { counter: Counter; me: Me; onError: (text: string) => void }) {
  const who = staffOf(counter);
  const mine = who === me.name;
  return (
    <span class="staff-at" data-staff={who}>
      {who ? `${t('day_staff_at')}: ${who}` : t('day_staff_none')}
      {!mine && <button type="button" data-action="sign-in"
        onClick={() => api.post(`/api/counters/${counter.id}/sign-in`, {}).catch((e) => onError(dayError(e)))}>{t('day_sign_in')}</button>}
    </span>
  );
}

// Staff sign in when their console opens their counter (once per opening: the
// server does nothing when they already are), and out of it before the session
// ends: a held ticket keeps them in. Managers and admins take a counter by hand.
export function useSignedIn(state: QueueState | null, counter: Counter | undefined, me: Me, onError: (text: string) => void) {
  const done = useRef(0);
  useEffect(() => {
    if (!state || !counter || me.role !== 'staff' || done.current === counter.id) return;
    done.current = counter.id;
    api.post(`/api/counters/${counter.id}/sign-in`, {}).catch((e) => onError(dayError(e)));
  }, [state !== null, counter?.id]);
  return async () => {
    if (!counter || staffOf(counter) !== me.name) return;
    try {
      await api.post(`/api/counters/${counter.id}/sign-out`, {});
    } catch (e) {
      onError(e instanceof ApiError && e.code === 'counter_busy' ? t('day_sign_out_busy') : dayError(e));
      throw e;
    }
  };
}

// Where the visit of the ticket this counter finished last goes next ("Tiếp theo: Thu phí").
export function JustFinished({ state, counter }: { state: QueueState; counter: Counter }) {
  const lang = language();
  const last = [...state.finished].reverse().find((f) => f.counter === counter.id);
  if (!last) return null;
  return (
    <p class="just-finished" role="status" data-finished={last.number} data-next-step={last.next_step ?? ''}>
      <span>{t('day_just_finished')} <b>{last.number}</b></span>
      {' · '}
      {last.next_step ? <b class="next-step">{fill(t('day_next_step'), { name: serviceName(state, last.next_step, lang) })}</b>
                      : <span>{t('day_visit_done')}</span>}
    </p>
  );
}

// The current ticket's visit: its step, the steps still to come, and whether it came back from a park.
export function VisitLine({ state, ticket }: { state: QueueState; ticket: Ticket }) {
  const lang = language();
  const later = ticket.next_steps ?? [];
  if (!ticket.step && !later.length && !ticket.returns) return null;
  return (
    <p class="visit">
      {ticket.step ? <span class="badge">{fill(t('day_step_of'), { n: ticket.step + 1 })}</span> : null}{' '}
      {later.length > 0 && <span>{fill(t('day_next_step'), { name: later.map((c) => serviceName(state, c, lang)).join(' → ') })}</span>}{' '}
      {ticket.returns ? <span class="badge">{t('day_came_back')}</span> : null}
    </p>
  );
}
