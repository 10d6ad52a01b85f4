// book (/m/b): booking a visit from the phone (issue 21) — a service, a day, a
// free time, then the phone number proven by a code the center texts, and the
// booking's own page (/b/{key}) from then on. The key is kept on this phone
// so the home page can lead back to it.
import { useState } from 'preact/hooks';
import { DayPicker, refusal, SlotPicker, useServices } from './booking_parts';
import { language, t } from './i18n';
import { post } from './net';
import { navigate, Page, useLanguage } from './ui';

export function rememberBooking(key: string, day: number) {
  localStorage.setItem('phone.booking', JSON.stringify({ key, day }));
}

function Identity({ onBooked, service, day, start }: { onBooked: (key: string, day: number) => void; service: string; day: number; start: string }) {
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [sent, setSent] = useState('');
  const [reminders, setReminders] = useState(true);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const send = async () => {
    setBusy(true);
    try {
      const r = await post('/api/public/verify', { phone });
      setSent(t('book_sent', { phone: r.sent_to, n: Math.round(r.expires_in_s / 60) }));
      setError('');
    } catch (e) {
      setError(e instanceof Error && (e as any).code === 'bad_phone' ? t('bad_phone') : refusal(e));
    } finally {
      setBusy(false);
    }
  };
  const book = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      const r = await post('/api/public/bookings', { service, day, start, phone, code: code.trim(), reminders });
      onBooked(r.key, r.day);
    } catch (err) {
      setError(refusal(err));
      setBusy(false);
    }
  };
  return (
    <form onSubmit={book} class="identity">
      <div class="field">
        <label for="phone">{t('book_phone')}</label>
        <input id="phone" type="tel" inputMode="tel" autoComplete="tel" value={phone} onInput={(e) => setPhone(e.currentTarget.value)} />
      </div>
      <button type="button" class="wide" data-action="send-code" disabled={busy || !phone.trim()} onClick={send}>{t('book_send')}</button>
      {sent && <p class="ok" role="status">{sent}</p>}
      {sent && (
        <>
          <div class="field">
            <label for="code">{t('book_code')}</label>
            <input id="code" inputMode="numeric" autoComplete="one-time-code" maxLength={6} value={code}
                   onInput={(e) => setCode(e.currentTarget.value)} />
          </div>
          <label class="check"><input type="checkbox" checked={reminders} onChange={(e) => setReminders(e.currentTarget.checked)} />
            <span>{t('book_reminders')}</span></label>
          <button type="submit" class="wide primary" data-action="book" disabled={busy || code.trim().length !== 6}>{t('book_confirm')}</button>
        </>
      )}
      <p class="muted">{t('book_privacy')}</p>
      {error && <p class="error" role="alert">{error}</p>}
    </form>
  );
}

export function BookPage() {
  useLanguage();
  const [services, error] = useServices();
  const [service, setService] = useState('');
  const [day, setDay] = useState(0);
  const [start, setStart] = useState('');
  const chosen = services?.find((s) => s.code === service);
  const booked = (key: string, d: number) => {
    rememberBooking(key, d);
    navigate(`/b/${key}`);
  };
  return (
    <Page class="book">
      <h1 tabIndex={-1}>{t('book')}</h1>
      <p class="muted">{t('book_text')}</p>
      {error && <p class="error" role="alert">{error}</p>}
      {services && (
        <div class="field">
          <label for="service">{t('book_service')}</label>
          <select id="service" value={service} onChange={(e) => { setService(e.currentTarget.value); setDay(0); setStart(''); }}>
            <option value="">—</option>
            {services.map((s) => <option value={s.code}>{language() === 'en' ? s.name_en : s.name_vi}</option>)}
          </select>
        </div>
      )}
      {chosen && <DayPicker days={chosen.days} day={day} onPick={(d) => { setDay(d); setStart(''); }} />}
      {chosen && day > 0 && <SlotPicker service={service} day={day} start={start} onPick={(s) => setStart(s.start)} />}
      {chosen && day > 0 && start && <Identity service={service} day={day} start={start} onBooked={booked} />}
    </Page>
  );
}
