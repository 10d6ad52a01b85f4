// ticket_controls: what a citizen can do about the followed ticket — be
// alerted when N people are ahead and when called, leave the queue (after a
// confirmation), be late once, and sign up for text messages. Each control
// shows the server's answer in words; none of them guesses the new state.
import { useEffect, useRef, useState } from 'preact/hooks';
import { askNotifications, unlock } from './alerts';
import { t } from './i18n';
import { post, PublicError, type TicketView } from './net';

const base = (key: string) => `/api/public/tickets/${encodeURIComponent(key)}`;
const AHEAD = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

export interface AlertChoice {
  on: boolean;
  ahead: number;
}

export function loadChoice(key: string, view: TicketView): AlertChoice {
  try {
    const saved = JSON.parse(localStorage.getItem('phone.alert.' + key) ?? 'null');
    if (saved && typeof saved.on === 'boolean' && saved.ahead >= 1 && saved.ahead <= 10) return saved;
  } catch {
    /* a damaged entry: start again */
  }
  return { on: false, ahead: Math.min(10, Math.max(1, view.alert_ahead ?? 3)) };
}

export function saveChoice(key: string, c: AlertChoice) {
  localStorage.setItem('phone.alert.' + key, JSON.stringify(c));
}

function AheadSelect({ id, label, value, onChange }: { id: string; label: string; value: number; onChange: (n: number) => void }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(Number(e.currentTarget.value))}>
        {AHEAD.map((n) => <option value={n}>{n}</option>)}
      </select>
    </div>
  );
}

export function AlertPanel({ choice, onChoice }: { choice: AlertChoice; onChoice: (c: AlertChoice) => void }) {
  const [denied, setDenied] = useState(false);
  const turnOn = async () => {
    unlock(); // inside the tap: the only moment a browser lets a page make sound later
    onChoice({ ...choice, on: true });
    const p = await askNotifications();
    setDenied(p === 'denied');
  };
  return (
    <section class="panel" aria-labelledby="alert-h">
      <h2 id="alert-h">{t('alert_title')}</h2>
      <AheadSelect id="alert-ahead" label={t('alert_when')} value={choice.ahead} onChange={(ahead) => onChoice({ ...choice, ahead })} />
      {choice.on ? (
        <>
          <p class="ok" data-alerts="on">{t('alert_is_on', { n: choice.ahead })}</p>
          <button type="button" class="wide" onClick={() => onChoice({ ...choice, on: false })}>{t('alert_off')}</button>
        </>
      ) : (
        <button type="button" class="wide primary" data-action="alert-on" onClick={turnOn}>{t('alert_on')}</button>
      )}
      {denied && <p class="muted">{t('notify_denied')}</p>}
    </section>
  );
}

function errorWords(e: unknown): string {
  if (e instanceof PublicError) {
    if (e.status === 0) return t('net_error');
    if (e.code === 'bad_phone' || e.code === 'bad_email' || e.code === 'no_consent' || e.code === 'no_sender') return t(e.code);
  }
  return t('try_again');
}

export function Leave({ ticketKey, view, onView }: { ticketKey: string; view: TicketView; onView: (v: TicketView) => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    setBusy(true);
    setError('');
    try {
      onView(await post(`${base(ticketKey)}/cancel`));
      dialog.current?.close();
    } catch (e) {
      setError(errorWords(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" class="wide danger" data-action="leave" onClick={() => dialog.current?.showModal()}>{t('leave')}</button>
      <dialog ref={dialog} aria-labelledby="leave-h" aria-describedby="leave-t">
        <h2 id="leave-h">{t('leave_q')}</h2>
        <p id="leave-t">{t('leave_text', { number: view.number })}</p>
        {error && <p class="error" role="alert">{error}</p>}
        <div class="stack">
          <button type="button" class="wide danger" data-action="leave-yes" disabled={busy} onClick={confirm}>{t('leave_yes')}</button>
          <button type="button" class="wide" data-action="leave-no" onClick={() => dialog.current?.close()}>{t('leave_no')}</button>
        </div>
      </dialog>
    </>
  );
}

export function Late({ ticketKey, view, onView }: { ticketKey: string; view: TicketView; onView: (v: TicketView) => void }) {
  const [done, setDone] = useState('');
  const [used, setUsed] = useState(false);
  const [error, setError] = useState('');
  const places = view.late_places ?? 3;
  const late = async () => {
    setError('');
    try {
      const v: TicketView = await post(`${base(ticketKey)}/late`);
      setDone(t('late_done', { n: v.late_places ?? places, ahead: v.people_ahead }));
      onView(v);
    } catch (e) {
      if (e instanceof PublicError && e.code === 'already_late') setUsed(true);  // used from another tab
      else setError(errorWords(e));
    }
  };
  if (done) return <p class="ok" role="status" data-late="done">{done}</p>;
  if (view.late_used || used) return null;
  return (
    <div class="late">
      <button type="button" class="wide" data-action="late" aria-describedby="late-t" onClick={late}>{t('late')}</button>
      <p id="late-t" class="muted">{t('late_text', { n: places })}</p>
      {error && <p class="error" role="alert">{error}</p>}
    </div>
  );
}

export function Sms({ ticketKey, view, ahead }: { ticketKey: string; view: TicketView; ahead: number }) {
  const [open, setOpen] = useState(false);
  const [phone, setPhone] = useState('');
  const [n, setN] = useState(ahead);
  const [consent, setConsent] = useState(false);
  const [error, setError] = useState('');
  const [noSender, setNoSender] = useState(false);
  const [signed, setSigned] = useState<{ phone: string; ahead: number } | null>(null);
  useEffect(() => setN(ahead), [ahead]);
  const current = signed ?? (view.messages?.phone ? { phone: view.messages.phone, ahead: view.messages.ahead } : null);
  if (current) return <p class="ok" data-sms="on">{t('sms_ok', { phone: current.phone, n: current.ahead })}</p>;
  if (noSender) return <p class="muted" data-sms="none">{t('no_sender')}</p>;
  const submit = async (e: Event) => {
    e.preventDefault();
    setError('');
    if (!consent) return setError(t('no_consent'));
    try {
      setSigned(await post(`${base(ticketKey)}/notify`, { phone: phone.trim(), ahead: n, consent: true }));
    } catch (err) {
      if (err instanceof PublicError && err.code === 'no_sender') setNoSender(true);
      else setError(errorWords(err));
    }
  };
  return (
    <section class="panel" aria-labelledby="sms-h">
      <h2 id="sms-h">{t('sms')}</h2>
      <p class="muted">{t('sms_text')}</p>
      {!open ? (
        <button type="button" class="wide" aria-expanded="false" data-action="sms" onClick={() => setOpen(true)}>{t('sms')}</button>
      ) : (
        <form onSubmit={submit} noValidate>
          <div class="field">
            <label for="sms-phone">{t('phone')}</label>
            <input id="sms-phone" name="phone" type="tel" inputMode="tel" autoComplete="tel" value={phone}
                   onInput={(e) => setPhone(e.currentTarget.value)} aria-invalid={error === t('bad_phone') ? 'true' : undefined} />
          </div>
          <AheadSelect id="sms-ahead" label={t('sms_ahead')} value={n} onChange={setN} />
          <label class="check">
            <input type="checkbox" name="consent" checked={consent} onChange={(e) => setConsent(e.currentTarget.checked)} />
            <span>{t('consent')}</span>
          </label>
          {error && <p class="error" role="alert">{error}</p>}
          <button type="submit" class="wide primary">{t('sms_send')}</button>
        </form>
      )}
    </section>
  );
}
