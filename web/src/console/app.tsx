// console: the counter staff's page. One big current ticket, one button per
// action (each with a key), the waiting line of this counter's services.
//
// Nothing is guessed: a click sends the request and the screen changes only
// when the server's event arrives on the live stream, so two consoles, the
// hall board and the dashboard always show the same thing.
import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, ApiError, type Me } from '../lib/api';
import { categoryName, Live, serviceName, waitingFor, waitingOf, type Counter, type QueueState, type Ticket } from '../lib/live';
import { clock, duration } from '../lib/format';
import { language, t } from '../lib/i18n';
import { ErrorLine, errorText, Session, TopBar, useLive, useNow } from '../lib/ui';
import '../lib/style.css';

const targetMinutes = Number(new URLSearchParams(location.search).get('target') ?? 15);

type Action = 'next' | 'recall' | 'start' | 'finish' | 'no-show' | 'transfer' | 'cancel' | 'pause' | 'resume';

const keys: Record<string, Action> = { n: 'next', r: 'recall', s: 'start', f: 'finish', v: 'no-show', t: 'transfer', h: 'cancel', p: 'pause' };

function allowed(action: Action, counter: Counter, ticket: Ticket | undefined, waiting: number): boolean {
  const called = ticket?.state === 'called', serving = ticket?.state === 'serving';
  switch (action) {
    case 'next': return !counter.paused && (!ticket || serving) && waiting > 0;
    case 'recall': case 'start': case 'no-show': return called;
    case 'finish': case 'transfer': case 'cancel': return called || serving;
    case 'pause': return !counter.paused;
    case 'resume': return counter.paused;
  }
}

function actionLabel(a: Action) {
  return t(a === 'no-show' ? 'no_show' : a);
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
  if (counter.paused && !ticket) return <section class="current idle"><div class="number">—</div><p>{t('paused')}</p></section>;
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
    <div class="dialog" role="dialog" aria-label={t('transfer_title')}>
      <form onSubmit={(e) => { e.preventDefault(); onSend({ ...(service ? { to_service: service } : {}), ...(to ? { to_counter: to } : {}), note }); }}>
        <h2>{t('transfer_title')}</h2>
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
      </form>
    </div>
  );
}

function WaitingList({ state, counter, now }: { state: QueueState; counter: Counter; now: number }) {
  const lang = language();
  const line = waitingFor(state, counter);
  const services = [...new Set(counter.tiers.flat())];
  const noShows = [...state.tickets.values()].filter((x) => x.state === 'no_show' && x.counter === counter.id);
  return (
    <aside class="waiting">
      <div class="counts">
        {services.map((code) => (
          <div class="count" data-service={code}>
            <b>{waitingOf(state, code).length}</b>
            <span>{serviceName(state, code, lang)}</span>
          </div>
        ))}
      </div>
      <h2>{t('waiting_list')} ({line.length})</h2>
      {line.length === 0 && <p class="muted">{t('no_one_waiting')}</p>}
      <ol class="line">
        {line.slice(0, 50).map((x) => {
          const over = now - x.issued_at > targetMinutes * 60_000;
          return (
            <li class={over ? 'over' : ''}>
              <b>{x.number}</b>
              {x.priority && <span class="badge priority">{categoryName(state, x.category, lang)}</span>}
              {x.booked && <span class="badge booked">{t('booked_slot')} {clock(x.slot_at ?? 0)}</span>}
              {x.target_counter === counter.id && <span class="badge">→ {counter.name}</span>}
              <span class="grow" />
              <span>{duration(now - x.issued_at)}</span>
              {over && <span class="warn" title={`${t('over_target')} ${targetMinutes} ${t('minutes')}`}>⚠</span>}
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
  const [transferring, setTransferring] = useState(false);
  const state = live.state;
  const wanted = me.role === 'staff' ? me.counter : Number(new URLSearchParams(location.search).get('counter') ?? 0);
  const counter = state?.counters.find((k) => k.id === wanted);
  const ticket = counter?.ticket ? state?.tickets.get(counter.ticket) : undefined;
  const waiting = state && counter ? waitingFor(state, counter).length : 0;

  // The pending mark goes when the server's event changes what this counter shows.
  const shown = `${counter?.ticket}:${ticket?.state}:${ticket?.recalls}:${counter?.paused}`;
  useEffect(() => setPending(null), [shown]);

  const act = async (action: Action, body: object = {}) => {
    if (!counter || !allowed(action, counter, ticket, waiting)) return;
    if (action === 'transfer' && !('note' in body)) return setTransferring(true);
    setPending(action);
    setError('');
    try {
      const path = ['next', 'pause', 'resume'].includes(action) ? `/api/counters/${counter.id}/${action}` : `/api/tickets/${ticket!.id}/${action}`;
      const reply = await api.post(path, body);
      if (action === 'next' && !reply.ticket) {
        setPending(null);
        setError(t('nobody_next'));
      }
      if (action === 'transfer') setTransferring(false);
    } catch (e) {
      setPending(null);
      setError(errorText(e));
    }
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement || e.ctrlKey || e.altKey || e.metaKey) return;
      if (e.key.toLowerCase() === 'i' && document.getElementById('identity-input')) {
        e.preventDefault();
        return document.getElementById('identity-input')!.focus();
      }
      const a = keys[e.key.toLowerCase()];
      if (!a || !counter) return;
      e.preventDefault();
      act(a === 'pause' && counter.paused ? 'resume' : a);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  if (!state) return <><TopBar title={t('app_console')} me={me} link={live.link} /><p class="loading">{t('connecting')}</p></>;
  if (!counter) return <><TopBar title={t('app_console')} me={me} link={live.link} /><CounterPicker state={state} /></>;
  const buttons: Action[] = ['next', 'recall', 'start', 'finish', 'no-show', 'transfer', 'cancel', counter.paused ? 'resume' : 'pause'];
  const keyOf = (a: Action) => Object.entries(keys).find(([, v]) => v === (a === 'resume' ? 'pause' : a))?.[0].toUpperCase();
  return (
    <div class="console">
      <TopBar title={`${t('app_console')} · ${counter.name}`} me={me} link={live.link}>
        <span class="center-name">{state.center.name}</span>
        {counter.paused && <span class="badge paused">{t('paused')}</span>}
      </TopBar>
      <main>
        <div class="work">
          <Current state={state} ticket={ticket} counter={counter} now={now} />
          <div class="actions">
            {buttons.map((a) => (
              <button type="button" data-action={a} class={`${a === 'next' ? 'primary big' : ''} ${pending === a ? 'pending' : ''}`}
                disabled={!allowed(a, counter, ticket, waiting) || pending !== null} onClick={() => act(a)}>
                {actionLabel(a)} <kbd>{keyOf(a)}</kbd>
              </button>
            ))}
          </div>
        </div>
        <WaitingList state={state} counter={counter} now={now} />
      </main>
      {transferring && <TransferDialog state={state} counter={counter} onSend={(b) => act('transfer', b)} onClose={() => setTransferring(false)} />}
      <ErrorLine error={error} onClose={() => setError('')} />
    </div>
  );
}

render(<Session roles={['staff', 'manager', 'admin']} deniedText={t('admin_only')}>{(me) => <Console me={me} />}</Session>, document.getElementById('app')!);
