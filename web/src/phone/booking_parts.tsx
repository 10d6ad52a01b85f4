// booking_parts: what the booking pages share — the day and slot pickers
// (GET /api/public/services and /slots), dates as people read them, and a
// refusal's code in words.
import { useEffect, useState } from 'preact/hooks';
import { t } from './i18n';
import { get, PublicError } from './net';

export interface Service { code: string; name_vi: string; name_en: string; days: number[] }
export interface Slot { start: string; end: string; free: number }

export const dayText = (d: number) => `${String(d % 100).padStart(2, '0')}/${String(Math.floor(d / 100) % 100).padStart(2, '0')}/${Math.floor(d / 10000)}`;

// A refusal in words: the server's code where we have words for it, else "try again".
export function refusal(e: unknown): string {
  if (!(e instanceof PublicError)) return t('try_again');
  if (e.status === 0) return t('net_error');
  if (e.status === 429 && e.code !== 'too_many_attempts' && e.code !== 'too_many_codes') return t('too_many', { n: e.retryAfter || 60 });
  const key = `err_${e.code}` as Parameters<typeof t>[0];
  try {
    const text = t(key);
    if (text) return text;
  } catch { /* no words for this code */ }
  return t('try_again');
}

export function useServices(): [Service[] | null, string] {
  const [services, setServices] = useState<Service[] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    get('/api/public/services').then((r) => setServices(r.services)).catch((e) => setError(refusal(e)));
  }, []);
  return [services, error];
}

// The days of a service as buttons; the chosen one pressed.
export function DayPicker({ days, day, onPick }: { days: number[]; day: number; onPick: (d: number) => void }) {
  return (
    <fieldset class="picker">
      <legend>{t('book_day')}</legend>
      <div class="row">
        {days.map((d) => (
          <button type="button" data-day={d} aria-pressed={d === day} class={d === day ? 'primary' : ''} onClick={() => onPick(d)}>
            {dayText(d)}
          </button>
        ))}
      </div>
    </fieldset>
  );
}

// A day's slots as buttons; a full one is shown, not offered.
export function SlotPicker({ service, day, start, onPick }: { service: string; day: number; start: string; onPick: (s: Slot) => void }) {
  const [slots, setSlots] = useState<Slot[] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    if (!service || !day) return;
    let current = true;
    setSlots(null);
    get(`/api/public/slots?service=${encodeURIComponent(service)}&day=${day}`)
      .then((r) => current && (setSlots(r.slots), setError('')))
      .catch((e) => current && setError(refusal(e)));
    return () => { current = false; };
  }, [service, day]);
  if (error) return <p class="error" role="alert">{error}</p>;
  if (!slots) return <p class="muted">{t('loading')}</p>;
  if (!slots.some((s) => s.free > 0)) return <p>{t('book_no_slots')}</p>;
  return (
    <fieldset class="picker">
      <legend>{t('book_slot')}</legend>
      <div class="slots">
        {slots.map((s) => (
          <button type="button" data-slot={s.start} disabled={s.free <= 0} aria-pressed={s.start === start}
                  class={s.start === start ? 'primary' : ''} onClick={() => onPick(s)}>
            <span>{s.start}–{s.end}</span>
            <small>{s.free > 0 ? t('book_free', { n: s.free }) : t('book_full')}</small>
          </button>
        ))}
      </div>
    </fieldset>
  );
}
