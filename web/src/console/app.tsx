// console: the counter staff's page. One big current ticket, one button per
// action (each with a key), the waiting line of this counter's services with
// "Gọi số này" for a chosen one, the parked list, and the dialogs of the
// counter's real day (day.tsx: reasons, park, break; finish.tsx: the outcome).
//
// Nothing is guessed: a click sends the request and the screen changes only
// when the server's event arrives on the live stream, so two consoles, the
// hall board and the dashboard always show the same thing.
import { render } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, ApiError, type Me } from '../lib/api';
import { categoryName, Live, parkedFor, serviceName, waitingFor, waitingOf, type Counter, type QueueState, type Ticket } from '../lib/live';
import { clock, duration } from '../lib/format';
import { language, t } from '../lib/i18n';
import { ErrorLine, Session, TopBar, useLive, useNow } from '../lib/ui';
import { CallDialog, dayError, Dialog, JustFinished, ParkDialog, ParkedList, PauseDialog, returnParked, StaffAt, useSignedIn, VisitLine } from './day';
import { FinishDialog, finishNeedsDialog } from './finish';
import '../lib/style.css';

const targetMinutes = Number(new URLSearchParams(location.search).get('target') ?? 15);

type Action = 'next' | 'recall' | 'start' | 'finish' | 'park' | 'no-show' | 'transfer' | 'cancel' | 'pause' | 'resume';

const keys: Record<string, Action> = { n: 'next', r: 'recall', s: 'start', f: 'finish', k: 'park', v: 'no-show', t: 'transfer', h: 'cancel', p: 'pause' };

// The dialog open over the console, if any (each asks what the action needs);
// one about the held ticket shows only while that ticket is still held here.
type Asking = { kind: 'transfer' | 'park' | 'finish'; held: number } | { kind: 'pause' } | { kind: 'call'; ticket: Ticket } | null;

function allowed(action: Action, counter: Counter, ticket: Ticket | undefined, waiting: number): boolean {
  const called = ticket?.state === 'called', serving = ticket?.state === 'serving';
  switch (action) {
    case 'next': return !counter.paused && (!ticket || serving) && waiting > 0;
    case 'recall': case 'start': case 'no-show': return called;
    case 'finish': case 'park': case 'transfer': case 'cancel': return called || serving;
    case 'pause': return !counter.paused;
    case 'resume': return counter.paused;
  }
}

function actionLabel(a: Action) {
  return t(a === 'no-show' ? 'no_show' : a === 'park' ? 'day_park' : a);
}

// A booked citizen's ticket: the slot, how early or late they came (check-in
// against the slot's start) and the masked name to check against their ID card.
function Booking({ ticket }: { ticket: Ticket }) {
  if (!ticket.booking || !ticket.slot_at) return null;
  const lateness = Math.round((ticket.issued_at - ticket.slot_at) / 60000);
  const when = lateness < 0 ? `${t('came_early')} ${-lateness} ${t('minutes')}` : lateness > 0 ? `${t('came_late')} ${lateness} ${t('minutes')}` : t('came_on_time');
  return (
    <p class="booking" data-booking={ticket.booking}>
      <span class="badge booked">{t('booked_slot')} {clock(ticket.slot_at)}</span>{' '}
      <span class="arrival">{when}{ticket.booked ? '' : ` · ${t('late_walk_in')}`}</span>
      {ticket.masked_name && <>{' · '}<span class="masked-name">{ticket.masked_name}</span></>}
    </p>
  );
}

// The ID card (or phone) the citizen shows, checked against the one the number
// was booked or taken with: the server compares keyed hashes and keeps nothing.
// Key I puts the cursor in the field; the scanner can type the card's number.
function IdentityCheck({ ticket }: { ticket: Ticket }) {
  const [shown, setShown] = useState('');
  const [result, setResult] = useState<'' | 'ok' | 'mismatch' | 'bad'>('');
  useEffect(() => { setShown(''); setResult(''); }, [ticket.id]);
  const check = async (e: Event) => {
    e.preventDefault();
    const digits = shown.replace(/\D/g, '');
    const body = digits.length === 12 ? { id_number: digits } : { phone: shown.trim() };
    try {
      await api.post(`/api/tickets/${ticket.id}/identity`, body);
      setResult('ok');
    } catch (err) {
      setResult(err instanceof ApiError && err.code === 'identity_mismatch' ? 'mismatch' : 'bad');
    }
  };
  return (
    <form class="identity" onSubmit={check} aria-label={t('identity')}>
      <label><span>{t('identity')} <kbd>I</kbd></span>
        <input id="identity-input" name="identity" inputMode="numeric" autoComplete="off" maxLength={20} value={shown}
          placeholder={t('identity_input')} onInput={(e) => { setShown(e.currentTarget.value); setResult(''); }} />
      </label>
      <button type="submit" disabled={!shown.trim()}>{t('identity_check')}</button>
      {result && <span class={`identity-result ${result}`} role="status">{t(result === 'ok' ? 'identity_ok' : result === 'mismatch' ? 'identity_mismatch' : 'identity_bad')}</span>}
    </form>
  );
}

function Current({ state, ticket, counter, now }: { state: QueueState; ticket?: Ticket; counter: Counter; now: number }) {
  const lang = language();
  if (counter.paused && !ticket)
    return <section class="current idle"><div class="number">—</div><p>{t('paused')}{counter.pause_reason ? ` · ${counter.pause_reason}` : ''}</p></section>;
  if (!ticket) return <section class="current idle"><div class="number">—</div><p>{t('no_ticket')}</p></section>;
  const serving = ticket.state === 'serving';
  return (
    <section class={`current ${ticket.state}`} data-ticket={ticket.number}>
      <div class="number">{ticket.number}</div>
      <p class="service">{serviceName(state, ticket.service, lang)}</p>
      <p>
        <span class={ticket.priority ? 'badge priority' : 'badge'}>{categoryName(state, ticket.category, lang)}</span>{' '}
        <span class="badge">{t(serving ? 'state_serving' : 'state_called')}</span>
      </p>
      <VisitLine state={state} ticket={ticket} />
      <Booking ticket={ticket} />
      {!ticket.booking && ticket.masked_name && <p class="booking"><span class="masked-name">{ticket.masked_name}</span></p>}
      {(ticket.booking || ticket.masked_name) && <IdentityCheck ticket={ticket} />}
      <dl>
        <dt>{t('waited')}</dt><dd>{duration(ticket.called_at - ticket.issued_at)}</dd>
        {serving ? <><dt>{t('serving_for')}</dt><dd class="ticking">{duration(now - ticket.started_at)}</dd></>
                 : <><dt>{t('state_called')}</dt><dd class="ticking">{duration(now - ticket.called_at)}</dd></>}
        {ticket.recalls > 0 && <><dt>{t('recalls')}</dt><dd>{ticket.recalls}</dd></>}
      </dl>
    </section>
  );
}

function TransferDialog({ state, counter, onSend, onClose }: { state: QueueState; counter: Counter; onSend: (body: object) => void; onClose: () => void }) {
  const [service, setService] = useState('');
  const [to, setTo] = useState(0);
  const [note, setNote] = useState('');
  const lang = language();
  return (
    <Dialog name="transfer" title={t('transfer_title')} onClose={onClose}
      onSubmit={() => (service || to) && onSend({ ...(service ? { to_service: service } : {}), ...(to ? { to_counter: to } : {}), note })}>
      <label>{t('to_service')}
        <select name="to_service" value={service} onChange={(e) => setService(e.currentTarget.value)}>
          <option value="">{t('any')}</option>
          {state.services.map((s) => <option value={s.code}>{s.code} — {lang === 'en' ? s.name_en : s.name_vi}</option>)}
        </select>
      </label>
      <label>{t('to_counter')}
        <select name="to_counter" value={to} onChange={(e) => setTo(Number(e.currentTarget.value))}>
          <option value={0}>{t('any')}</option>
          {state.counters.filter((k) => k.id !== counter.id).map((k) => <option value={k.id}>{k.name}</option>)}
        </select>
      </label>
      <label>{t('note')}<input name="note" maxLength={500} value={note} onInput={(e) => setNote(e.currentTarget.value)} /></label>
      <div class="row">
        <button type="submit" class="primary" disabled={!service && !to}>{t('send')}</button>
        <button type="button" onClick={onClose}>{t('close')}</button>
      </div>
    </Dialog>
  );
}

// Up and down move between the "Gọi số này" buttons of the line (key C puts the cursor on the first).
function moveInLine(e: KeyboardEvent) {
  if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
  const all = [...document.querySelectorAll<HTMLButtonElement>('.waiting .line button[data-call]:not([disabled])')];
  const at = all.indexOf(document.activeElement as HTMLButtonElement);
  if (at < 0) return;
  e.preventDefault();
  all[Math.min(all.length - 1, Math.max(0, at + (e.key === 'ArrowDown' ? 1 : -1)))].focus();
}

function WaitingList({ state, counter, ticket, now, onCall, onError }: {
  state: QueueState; counter: Counter; ticket?: Ticket; now: number; onCall: (t: Ticket) => void; onError: (text: string) => void;
}) {
  const lang = language();
  const canCall = !counter.paused && ticket?.state !== 'called';
  const line = waitingFor(state, counter);
  const services = [...new Set(counter.tiers.flat())];
  const noShows = [...state.tickets.values()].filter((x) => x.state === 'no_show' && x.counter === counter.id);
  return (
    <aside class="waiting">
      <ParkedList state={state} counter={counter} ticket={ticket} now={now} onError={onError} />
      <div class="counts">
        {services.map((code) => (
          <div class="count" data-service={code}>
            <b>{waitingOf(state, code).length}</b>
            <span>{serviceName(state, code, lang)}</span>
          </div>
        ))}
      </div>
      <h2 id="waiting-title">{t('waiting_list')} ({line.length}) <kbd>C</kbd></h2>
      {line.length === 0 && <p class="muted">{t('no_one_waiting')}</p>}
      <ol class="line" aria-labelledby="waiting-title" onKeyDown={moveInLine}>
        {line.slice(0, 50).map((x) => {
          const over = now - x.issued_at > targetMinutes * 60_000;
          return (
            <li class={over ? 'over' : ''} data-waiting={x.number}>
              <b>{x.number}</b>
              {x.priority && <span class="badge priority">{categoryName(state, x.category, lang)}</span>}
              {x.booked && <span class="badge booked">{t('booked_slot')} {clock(x.slot_at ?? 0)}</span>}
              {x.target_counter === counter.id && <span class="badge">→ {counter.name}</span>}
              <span class="grow" />
              <span>{duration(now - x.issued_at)}</span>
              {over && <span class="warn" title={`${t('over_target')} ${targetMinutes} ${t('minutes')}`}>⚠</span>}
              <button type="button" class="call-chosen" data-call={x.id} disabled={!canCall}
                aria-label={`${t('day_call_chosen')} ${x.number}`} onClick={() => onCall(x)}>{t('day_call_chosen')}</button>
            </li>
          );
        })}
      </ol>
      {noShows.length > 0 && <>
        <h2>{t('no_shows')}</h2>
        <ul class="line">{noShows.map((x) => <li><b>{x.number}</b><span class="grow" /><ReactivateButton ticket={x} /></li>)}</ul>
      </>}
    </aside>
  );
}

function ReactivateButton({ ticket }: { ticket: Ticket }) {
  return <button type="button" onClick={() => api.post(`/api/tickets/${ticket.id}/reactivate`).catch(() => {})}>{t('reactivate')}</button>;
}

function CounterPicker({ state }: { state: QueueState }) {
  return (
    <div class="picker">
      <h1>{t('choose_counter')}</h1>
      {state.counters.map((k) => <a class="tile" href={`?counter=${k.id}`}>{k.name}</a>)}
    </div>
  );
}

function Console({ me }: { me: Me }) {
  const live = useLive(useMemo(() => new Live(), []));
  const now = useNow();
  const [pending, setPending] = useState<Action | null>(null);
  const [error, setError] = useState('');
  const [asking, setAsking] = useState<Asking>(null);
  const state = live.state;
  const wanted = me.role === 'staff' ? me.counter : Number(new URLSearchParams(location.search).get('counter') ?? 0);
  const counter = state?.counters.find((k) => k.id === wanted);
  const ticket = counter?.ticket ? state?.tickets.get(counter.ticket) : undefined;
  const waiting = state && counter ? waitingFor(state, counter).length : 0;
  const signOut = useSignedIn(state, counter, me, setError);
  const close = () => setAsking(null);
  const about = (kind: 'transfer' | 'park' | 'finish') => asking?.kind === kind && asking.held === counter?.ticket && ticket;
  // ...and is forgotten once that ticket has gone (against the ticket held now, not the one of an older render).
  const held = useRef(0);
  held.current = counter?.ticket ?? 0;
  useEffect(() => setAsking((a) => (a && 'held' in a && a.held !== held.current ? null : a)), [counter?.ticket]);

  // The pending mark goes when the server's event changes what this counter shows.
  const shown = `${counter?.ticket}:${ticket?.state}:${ticket?.recalls}:${counter?.paused}`;
  useEffect(() => setPending(null), [shown]);

  const act = async (action: Action, body: object = {}) => {
    if (!counter || !allowed(action, counter, ticket, waiting)) return;
    if (action === 'transfer' && !('note' in body)) return setAsking({ kind: 'transfer', held: counter.ticket });
    if (action === 'park') return setAsking({ kind: 'park', held: counter.ticket });
    if (action === 'pause') return setAsking({ kind: 'pause' });
    if (action === 'finish' && state && ticket && finishNeedsDialog(state, ticket)) return setAsking({ kind: 'finish', held: counter.ticket });
    setPending(action);
    setError('');
    try {
      const path = ['next', 'pause', 'resume'].includes(action) ? `/api/counters/${counter.id}/${action}` : `/api/tickets/${ticket!.id}/${action}`;
      const reply = await api.post(path, body);
      if (action === 'next' && !reply.ticket) {
        setPending(null);
        setError(t('nobody_next'));
      }
      if (action === 'transfer') setAsking(null);
    } catch (e) {
      setPending(null);
      setError(dayError(e));
    }
  };

  // C: the cursor on the first "Gọi số này" of the line (↑/↓ move, Enter asks the reason).
  const chooseInLine = () => {
    const first = document.querySelector<HTMLButtonElement>('.waiting .line button[data-call]:not([disabled])');
    if (first) first.focus();
    else setError(waiting ? t('day_err_counter_busy') : t('nobody_next'));
  };
  // B: the first parked ticket is back.
  const returnFirst = () => {
    const first = state && counter ? parkedFor(state, counter)[0] : undefined;
    if (!first) return setError(t('day_parked_none'));
    returnParked(first).catch((e) => setError(dayError(e)));
  };

  // The keys. The listener is added once and reads this render's handler, so a
  // key pressed right after a change never meets the state before it.
  const onKeyRef = useRef<(e: KeyboardEvent) => void>(() => {});
  onKeyRef.current = (e: KeyboardEvent) => {
    if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement || e.target instanceof HTMLTextAreaElement ||
        e.ctrlKey || e.altKey || e.metaKey || document.querySelector('.dialog')) return;
    if (e.key.toLowerCase() === 'c' && counter) { e.preventDefault(); return chooseInLine(); }
    if (e.key.toLowerCase() === 'b' && counter) { e.preventDefault(); return returnFirst(); }
    if (e.key.toLowerCase() === 'i' && document.getElementById('identity-input')) {
      e.preventDefault();
      return document.getElementById('identity-input')!.focus();
    }
    const a = keys[e.key.toLowerCase()];
    if (!a || !counter) return;
    e.preventDefault();
    act(a === 'pause' && counter.paused ? 'resume' : a);
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => onKeyRef.current(e);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  if (!state) return <><TopBar title={t('app_console')} me={me} link={live.link} /><p class="loading">{t('connecting')}</p></>;
  if (!counter) return <><TopBar title={t('app_console')} me={me} link={live.link} /><CounterPicker state={state} /></>;
  const buttons: Action[] = ['next', 'recall', 'start', 'finish', 'park', 'no-show', 'transfer', 'cancel', counter.paused ? 'resume' : 'pause'];
  const keyOf = (a: Action) => Object.entries(keys).find(([, v]) => v === (a === 'resume' ? 'pause' : a))?.[0].toUpperCase();
  return (
    <div class="console">
      <TopBar title={`${t('app_console')} · ${counter.name}`} me={me} link={live.link} beforeSignOut={signOut}>
        <span class="center-name">{state.center.name}</span>
        <StaffAt counter={counter} me={me} onError={setError} />
        {counter.paused && <span class="badge paused" data-reason={counter.pause_reason ?? ''}>
          {t('paused')}{counter.pause_reason ? ` · ${counter.pause_reason}` : ''}</span>}
      </TopBar>
      <main>
        <div class="work">
          <Current state={state} ticket={ticket} counter={counter} now={now} />
          <JustFinished state={state} counter={counter} />
          <div class="actions">
            {buttons.map((a) => (
              <button type="button" data-action={a} class={`${a === 'next' ? 'primary big' : ''} ${pending === a ? 'pending' : ''}`}
                disabled={!allowed(a, counter, ticket, waiting) || pending !== null} onClick={() => act(a)}>
                {actionLabel(a)} <kbd>{keyOf(a)}</kbd>
              </button>
            ))}
          </div>
        </div>
        <WaitingList state={state} counter={counter} ticket={ticket} now={now} onCall={(x) => setAsking({ kind: 'call', ticket: x })} onError={setError} />
      </main>
      {about('transfer') && <TransferDialog state={state} counter={counter} onSend={(b) => act('transfer', b)} onClose={close} />}
      {asking?.kind === 'call' && <CallDialog ticket={asking.ticket} counter={counter} onClose={close} />}
      {about('park') && <ParkDialog ticket={ticket!} most={state.policy?.park_max_minutes} onClose={close} />}
      {asking?.kind === 'pause' && <PauseDialog counter={counter} onClose={close} />}
      {about('finish') && <FinishDialog state={state} ticket={ticket!} onClose={close} />}
      <ErrorLine error={error} onClose={() => setError('')} />
    </div>
  );
}

render(<Session roles={['staff', 'manager', 'admin']} deniedText={t('admin_only')}>{(me) => <Console me={me} />}</Session>, document.getElementById('app')!);
