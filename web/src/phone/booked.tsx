// booked (/b/{key}): one booking's page (issue 21) — its code in large type and
// its QR for the kiosk's scanner, the service, day and time, and what the citizen can still do:
// add it to the calendar (.ics), move it to another free time, or cancel it
// (after a confirmation). Another phone with the link sees the same page; the
// page never shows the phone number or the name.
import { useEffect, useRef, useState } from 'preact/hooks';
import { dayText, DayPicker, refusal, SlotPicker, useServices } from './booking_parts';
import { language, t } from './i18n';
import { get, PublicError, post, request } from './net';
import { focusHeading, Page, useLanguage } from './ui';

interface Booking {
  code: string; service: string; service_name_vi: string; service_name_en: string;
  day: number; start: string; end: string; state: 'booked' | 'checked_in' | 'cancelled' | 'no_show'; number: string;
}

function Move({ booking, path, onMoved }: { booking: Booking; path: string; onMoved: (b: Booking) => void }) {
  const [services] = useServices();
  const [day, setDay] = useState(booking.day);
  const [start, setStart] = useState('');
  const [error, setError] = useState('');
  const days = services?.find((s) => s.code === booking.service)?.days ?? [];
  const move = async () => {
    try {
      onMoved(await post(`${path}/move`, { day, start }));
    } catch (e) {
      setError(refusal(e));
    }
  };
  return (
    <section aria-labelledby="move-h" class="panel">
      <h2 id="move-h">{t('move')}</h2>
      {days.length > 0 && <DayPicker days={days} day={day} onPick={(d) => { setDay(d); setStart(''); }} />}
      <SlotPicker service={booking.service} day={day} start={start} onPick={(s) => setStart(s.start)} />
      <button type="button" class="wide primary" data-action="move-confirm" disabled={!start} onClick={move}>{t('move_confirm')}</button>
      {error && <p class="error" role="alert">{error}</p>}
    </section>
  );
}

function Cancel({ booking, path, onCancelled }: { booking: Booking; path: string; onCancelled: (b: Booking) => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [error, setError] = useState('');
  const cancel = async () => {
    try {
      onCancelled(await request('DELETE', path, {}));
      dialog.current?.close();
    } catch (e) {
      setError(refusal(e));
    }
  };
  return (
    <>
      <button type="button" class="wide danger" data-action="unbook" onClick={() => dialog.current?.showModal()}>{t('unbook')}</button>
      <dialog ref={dialog} aria-labelledby="unbook-h" aria-describedby="unbook-t">
        <h2 id="unbook-h">{t('unbook_q')}</h2>
        <p id="unbook-t">{t('unbook_text', { code: booking.code })}</p>
        <button type="button" class="wide danger" data-action="unbook-yes" onClick={cancel}>{t('unbook_yes')}</button>
        <button type="button" class="wide" data-action="unbook-no" onClick={() => dialog.current?.close()}>{t('unbook_no')}</button>
        {error && <p class="error" role="alert">{error}</p>}
      </dialog>
    </>
  );
}

export function BookedPage({ bookingKey }: { bookingKey: string }) {
  useLanguage();
  const path = `/api/public/bookings/${encodeURIComponent(bookingKey)}`;
  const [booking, setBooking] = useState<Booking | null>(null);
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState('');
  const [news, setNews] = useState('');
  const [moving, setMoving] = useState(false);
  useEffect(() => {
    get(path).then((b) => { setBooking(b); focusHeading(); })
      .catch((e) => (e instanceof PublicError && e.status === 404 ? setMissing(true) : setError(refusal(e))));
  }, [path]);
  if (missing) return <Page><h1 tabIndex={-1}>{t('booking')}</h1><p data-booking="none">{t('booking_none')}</p></Page>;
  if (!booking) return <Page><h1 tabIndex={-1}>{t('booking')}</h1>{error ? <p class="error" role="alert">{error}</p> : <p>{t('loading')}</p>}</Page>;
  const open = booking.state === 'booked';
  const changed = (b: Booking, what: string) => { setBooking(b); setMoving(false); setNews(what); };
  return (
    <Page class="booked">
      <div class="ticket">
        <h1 tabIndex={-1}><span class="label">{t('booking_code')}</span><span class="number" data-booking-code>{booking.code}</span></h1>
        <p class="service">{language() === 'en' ? booking.service_name_en : booking.service_name_vi}</p>
        <p class="big" data-when>{t('booking_when', { start: booking.start, end: booking.end, day: dayText(booking.day) })}</p>
        <p class="state" data-booking-state={booking.state}>{t(`booking_state_${booking.state}`, { number: booking.number })}</p>
      </div>
      <p role="status" class="ok">{news}</p>
      {open && <p>{t('booking_help')}</p>}
      {open && <img class="qr" src={`${path}/qr.svg`} width={240} height={240} alt={t('booking_qr', { code: booking.code })} />}
      {open && <a class="button wide" href={`${path}/calendar.ics`} download={`lich-hen-${booking.code}.ics`}>{t('calendar')}</a>}
      {open && !moving && <button type="button" class="wide" data-action="move" onClick={() => setMoving(true)}>{t('move')}</button>}
      {open && moving && <Move booking={booking} path={path} onMoved={(b) => changed(b, t('moved'))} />}
      {open && <Cancel booking={booking} path={path} onCancelled={(b) => changed(b, t('unbooked'))} />}
      <p><a href="/m/">{t('back_home')}</a></p>
    </Page>
  );
}
