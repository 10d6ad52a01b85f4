// bookings: the dashboard's "Bookings" tab (issue 21). How the numbers booked
// ahead went, per day and service (GET /api/stats/bookings: made, cancelled,
// show-up rate, punctuality, slot use), and beside it the waits of booked and
// walk-in citizens over the same range (GET /api/stats?by=booking) — the
// question a manager asks: does booking ahead spare the citizens the hall?
import { useEffect, useState } from 'preact/hooks';
import { api, download } from '../lib/api';
import { minutes, percent } from '../lib/format';
import { language, t } from '../lib/i18n';
import { serviceName, type QueueState } from '../lib/live';
import { ErrorLine, errorText } from '../lib/ui';
import { DateRange } from './date_range';

interface BookingRow {
  day: number; service: string; made: number; cancelled: number; checked_in: number; on_time: number; late: number;
  no_show: number; waiting: number; offered: number; show_up: number; punctual: number; lateness_median_s: number; slot_use: number;
}
interface KindRow { key: string; issued: number; called: number; wait_median_s: number; wait_p90_s: number; wait_avg_s: number }

// Minutes early (−) or late (+), signed, whole.
const signedMinutes = (s: number) => { const m = Math.round(s / 60); return m > 0 ? `+${m}` : String(m); };
const dayText = (d: number) => `${String(d % 100).padStart(2, '0')}/${String(Math.floor(d / 100) % 100).padStart(2, '0')}`;

export function BookingsView({ state }: { state: QueueState }) {
  const [from, setFrom] = useState(state.day);
  const [to, setTo] = useState(state.day);
  const [rows, setRows] = useState<BookingRow[] | null>(null);
  const [kinds, setKinds] = useState<KindRow[]>([]);
  const [error, setError] = useState('');
  const query = `from=${from}&to=${to}`;
  const show = async () => {
    setError('');
    try {
      const [bookings, waits] = await Promise.all([api.get(`/api/stats/bookings?${query}`), api.get(`/api/stats?${query}&by=booking`)]);
      setRows(bookings.rows);
      setKinds(waits.rows.filter((r: KindRow) => r.key !== 'total'));
    } catch (e) {
      setRows(null);
      setError(errorText(e));
    }
  };
  useEffect(() => { show(); }, []);
  const lang = language();
  return (
    <div class="stats" data-view="bookings">
      <form class="filters" onSubmit={(e) => { e.preventDefault(); show(); }}>
        <DateRange from={from} to={to} setFrom={setFrom} setTo={setTo} />
        <button type="submit" class="primary">{t('show')}</button>
        <button type="button" data-export="bookings" onClick={() => download(`/api/stats/bookings?${query}&format=csv`, `bookings-${from}-${to}.csv`).catch((e) => setError(errorText(e)))}>{t('export_csv')}</button>
      </form>
      <ErrorLine error={error} onClose={() => setError('')} />
      {rows && (
        <table class="grid" data-table="bookings">
          <thead><tr>
            <th>{t('by_day')}</th><th>{t('by_service')}</th><th>{t('bk_made')}</th><th>{t('cancelled')}</th><th>{t('bk_checked_in')}</th>
            <th>{t('no_show')}</th><th>{t('bk_show_up')}</th><th>{t('bk_punctual')}</th><th>{t('bk_lateness')}</th><th>{t('bk_slot_use')}</th>
          </tr></thead>
          <tbody>{rows.map((r) => (
            <tr data-day={r.day} data-service={r.service} class={r.day === 0 ? 'total' : ''}>
              <td>{r.day === 0 ? t('total') : dayText(r.day)}</td>
              <td>{r.service ? `${r.service} — ${serviceName(state, r.service, lang)}` : ''}</td>
              <td class="num" data-col="made">{r.made}</td><td class="num">{r.cancelled}</td>
              <td class="num" data-col="checked_in">{r.checked_in} <span class="muted">({r.on_time} / {r.late})</span></td>
              <td class="num" data-col="no_show">{r.no_show}</td>
              <td class="num" data-col="show_up">{r.checked_in + r.no_show ? percent(r.show_up) : '—'}</td>
              <td class="num" data-col="punctual">{r.checked_in ? percent(r.punctual) : '—'}</td>
              <td class="num">{r.checked_in ? signedMinutes(r.lateness_median_s) : '—'}</td>
              <td class="num" data-col="slot_use">{r.offered ? `${percent(r.slot_use)} (${r.made - r.cancelled}/${r.offered})` : '—'}</td>
            </tr>
          ))}</tbody>
        </table>
      )}
      <p class="muted">{t('bk_note')}</p>
      <section><h2>{t('bk_waits')}</h2>
        <table class="grid" data-table="booking-waits">
          <thead><tr><th>{t('key')}</th><th>{t('issued')}</th><th>{t('wait_median')}</th><th>{t('wait_p90')}</th><th>{t('wait_avg')}</th></tr></thead>
          <tbody>{kinds.map((k) => (
            <tr data-key={k.key}>
              <td>{t(`kind_${k.key}` as any)}</td><td class="num">{k.issued}</td>
              <td class="num" data-col="wait_median">{minutes(k.wait_median_s)}</td><td class="num">{minutes(k.wait_p90_s)}</td>
              <td class="num">{minutes(k.wait_avg_s)}</td>
            </tr>
          ))}</tbody>
        </table>
      </section>
    </div>
  );
}
