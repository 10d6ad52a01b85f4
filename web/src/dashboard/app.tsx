// dashboard: the managers' page. "Live" folds the event stream (waiting per
// service, longest wait, counters and who works there, calls per hour today,
// alerts); "Statistics" asks the server for figures over any range — computed
// there from the indexed tickets view, never by loading tickets into the page;
// "Bookings" shows how the numbers booked ahead went (bookings.tsx);
// "Visits" the counter's real day: steps, outcomes, calls out of order, staff (visits.tsx);
// "Province" compares the province's centers from the central database.
import { render } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, download, type Me } from '../lib/api';
import { Live, serviceName, waitingOf, type QueueState } from '../lib/live';
import { clock, dayOf, dayToInput, duration, minutes, percent } from '../lib/format';
import { language, t, tv } from '../lib/i18n';
import { Chart, HeatMap } from '../lib/chart';
import { ErrorLine, errorText, Session, TopBar, useLive, useNow } from '../lib/ui';
import { BookingsView } from './bookings';
import { ClockBanner } from './clock_banner';
import { DateRange } from './date_range';
import { VisitsView } from './visits';
import '../lib/style.css';

interface Row {
  key: string; issued: number; called: number; served: number; no_show: number; cancelled: number;
  wait_avg_s: number; wait_median_s: number; wait_p90_s: number; service_avg_s: number; within_target: number;
  estimate_error_avg_s: number; rated: number; satisfied: number;
}

// A gateway or webhook receiver that fails delays the citizens' messages, never
// the queue: the managers should see it (GET /api/admin/messages; 404 when the
// center sends no messages). Asked every 30 s: the server keeps no history of it.
interface MessageStatus { alert: boolean; queued: number; last_error: string; webhooks: { name: string; behind: number; last_error: string }[] }

export function messageAlerts(s: MessageStatus | null): string[] {
  if (!s || !s.alert) return [];
  const out: string[] = [];
  if (s.queued > 0 || s.last_error) out.push(`${t('alert_messages')}: ${s.queued} ${t('messages_waiting')}${s.last_error ? ` (${s.last_error})` : ''}`);
  for (const w of s.webhooks)
    if (w.behind > 0 && w.last_error) out.push(`Webhook ${w.name}: ${t('alert_webhook').replace('{behind}', String(w.behind))} (${w.last_error})`);
  return out.length ? out : [t('alert_messages')];
}

function useMessageStatus(): MessageStatus | null {
  const [status, setStatus] = useState<MessageStatus | null>(null);
  useEffect(() => {
    const look = () => api.get('/api/admin/messages').then(setStatus).catch(() => setStatus(null));
    look();
    const id = setInterval(look, 30_000);
    return () => clearInterval(id);
  }, []);
  return status;
}

function LiveView({ state, targetMin, callsByHour }: { state: QueueState; targetMin: number; callsByHour: Map<string, number> }) {
  const now = useNow();
  const lang = language();
  const longest = (code: string) => Math.max(0, ...waitingOf(state, code).map((x) => now - x.issued_at));
  const alerts: string[] = messageAlerts(useMessageStatus());
  for (const s of state.services)
    if (longest(s.code) > targetMin * 60_000) alerts.push(`${serviceName(state, s.code, lang)}: ${t('alert_wait')} (${duration(longest(s.code))})`);
  for (const d of state.devices.values())
    if (d.printer !== 'ok') alerts.push(`${d.device}: ${t('alert_printer')} ${t(`printer_${d.printer}` as any) ?? d.printer} ${d.detail}`);
  const hours = [...callsByHour.keys()].sort();
  return (
    <div class="live">
      <section class="wide">
        <h2>{t('alerts')}</h2>
        {alerts.length === 0 ? <p class="muted" data-alerts="0">{t('no_alerts')}</p>
          : <ul class="alerts" data-alerts={alerts.length}>{alerts.map((a) => <li>⚠ {a}</li>)}</ul>}
      </section>
      <section>
        <h2>{t('waiting')}</h2>
        <table class="grid" data-table="services">
          <thead><tr><th>{t('service')}</th><th>{t('waiting')}</th><th>{t('priority')}</th><th>{t('longest_wait')}</th><th>{t('est_wait')}</th></tr></thead>
          <tbody>{state.services.map((s) => {
            const line = waitingOf(state, s.code);
            const long = longest(s.code);
            return (
              <tr data-service={s.code} class={long > targetMin * 60_000 ? 'over' : ''}>
                <td>{s.code} — {serviceName(state, s.code, lang)}</td>
                <td class="num" data-waiting>{line.length}</td>
                <td class="num">{line.filter((x) => x.priority).length}</td>
                <td class="num">{line.length ? duration(long) : '—'}</td>
                <td class="num">{duration(s.est_wait_s * 1000)}</td>
              </tr>
            );
          })}</tbody>
        </table>
      </section>
      <section>
        <h2>{t('counters')}</h2>
        <table class="grid" data-table="counters">
          <thead><tr><th>{t('counter')}</th><th>{t('state')}</th><th>{t('ticket')}</th><th>{t('staff')}</th><th>{t('since')}</th></tr></thead>
          <tbody>{state.counters.map((k) => {
            const ticket = k.ticket ? state.tickets.get(k.ticket) : undefined;
            const what = k.paused ? t('paused') : ticket ? t(ticket.state === 'serving' ? 'state_serving' : 'state_called') : t('open');
            return (
              <tr data-counter={k.id}>
                <td>{k.name}</td><td>{what}</td><td><b>{ticket?.number ?? ''}</b></td><td>{k.staff}</td>
                <td>{k.since ? duration(now - k.since) : ''}</td>
              </tr>
            );
          })}</tbody>
        </table>
      </section>
      <section class="wide">
        <h2>{t('calls_per_hour')}</h2>
        <Chart bars labels={hours} series={[{ name: t('calls_per_hour'), values: hours.map((h) => callsByHour.get(h) ?? 0), color: '#005aa0' }]} />
      </section>
    </div>
  );
}

const groupings = ['service', 'counter', 'staff', 'hour', 'weekday', 'day', 'booking'] as const;

function StatsView({ state }: { state: QueueState | null }) {
  const today = state?.day || dayOf(new Date());  // the center's day, in its time zone
  const [from, setFrom] = useState(today);
  const [to, setTo] = useState(today);
  const [by, setBy] = useState<(typeof groupings)[number]>('service');
  const [target, setTarget] = useState(15);
  const [rows, setRows] = useState<Row[] | null>(null);
  const [histogram, setHistogram] = useState<Row[]>([]);
  const [heat, setHeat] = useState<Row[]>([]);
  const [trend, setTrend] = useState<Row[]>([]);
  const [error, setError] = useState('');
  const query = `from=${from}&to=${to}&target=${target * 60}`;
  const show = async () => {
    setError('');
    try {
      // The table and the three charts in one pass over the range on the server.
      const groups = [...new Set([by, 'wait', 'weekday_hour', 'day'])];
      const r = (await api.get(`/api/stats?${query}&by=${groups.join(',')}`)).groups;
      setRows(r[by]);
      setHistogram(r.wait.filter((x: Row) => x.key !== 'total' && x.key !== '-'));
      setHeat(r.weekday_hour.filter((x: Row) => x.key !== 'total'));
      setTrend(r.day.filter((x: Row) => x.key !== 'total'));
    } catch (e) {
      setRows(null);
      setError(errorText(e));
    }
  };
  useEffect(() => { show(); }, []);
  const lang = language();
  const label = (key: string) => {
    if (key === 'total') return t('total');
    if (by === 'service' && state) return `${key} — ${serviceName(state, key, lang)}`;
    if (by === 'weekday') return t('weekday_names').split(',')[Number(key)];
    if (by === 'booking') return t(`kind_${key}` as any) ?? key;  // booked on time, booked but late, walked in
    if (by === 'counter') return key === '0' ? '—' : state?.counters.find((k) => String(k.id) === key)?.name ?? key;
    return key || '—';
  };
  return (
    <div class="stats">
      <form class="filters" onSubmit={(e) => { e.preventDefault(); show(); }}>
        <DateRange from={from} to={to} setFrom={setFrom} setTo={setTo} />
        <label>{t('group_by')}<select name="by" value={by} onChange={(e) => setBy(e.currentTarget.value as any)}>
          {groupings.map((g) => <option value={g}>{t(`by_${g}` as any)}</option>)}</select></label>
        <label>{t('target')}<input type="number" name="target" min={1} value={target} onInput={(e) => setTarget(Number(e.currentTarget.value))} /></label>
        <button type="submit" class="primary">{t('show')}</button>
        <button type="button" data-export="stats" onClick={() => download(`/api/stats?${query}&by=${by}&format=csv`, `stats-${by}-${from}-${to}.csv`).catch((e) => setError(errorText(e)))}>{t('export_csv')}</button>
        <button type="button" data-export="tickets" onClick={() => download(`/api/stats/tickets?${query}`, `tickets-${from}-${to}.csv`).catch((e) => setError(errorText(e)))}>{t('export_tickets')}</button>
      </form>
      <ErrorLine error={error} onClose={() => setError('')} />
      {rows && (
        <table class="grid" data-table="stats">
          <thead><tr>
            <th>{t('key')}</th><th>{t('issued')}</th><th>{t('served')}</th><th>{t('no_show')}</th><th>{t('cancelled')}</th>
            <th>{t('wait_avg')}</th><th>{t('wait_median')}</th><th>{t('wait_p90')}</th><th>{t('service_avg')}</th>
            <th>{t('within')}</th><th>{t('est_error')}</th><th>{t('satisfied')}</th>
          </tr></thead>
          <tbody>{rows.map((r) => (
            <tr data-key={r.key} class={r.key === 'total' ? 'total' : ''}>
              <td>{label(r.key)}</td><td class="num" data-col="issued">{r.issued}</td><td class="num" data-col="served">{r.served}</td>
              <td class="num" data-col="no_show">{r.no_show}</td><td class="num" data-col="cancelled">{r.cancelled}</td>
              <td class="num" data-col="wait_avg">{minutes(r.wait_avg_s)}</td><td class="num">{minutes(r.wait_median_s)}</td>
              <td class="num">{minutes(r.wait_p90_s)}</td><td class="num">{minutes(r.service_avg_s)}</td>
              <td class="num">{percent(r.within_target)}</td><td class="num">{minutes(r.estimate_error_avg_s)}</td>
              <td class="num">{r.rated ? `${percent(r.satisfied)} (${r.rated})` : '—'}</td>
            </tr>
          ))}</tbody>
        </table>
      )}
      <p class="muted">{t('wait_avg')}, {t('wait_p90')}… : {t('minutes')}</p>
      <div class="charts">
        <section><h2>{t('histogram')}</h2>
          <Chart bars labels={histogram.map((r) => r.key === '120' ? '120+' : String(Number(r.key)))} series={[{ name: t('served'), values: histogram.map((r) => r.called), color: '#005aa0' }]} /></section>
        <section><h2>{t('trend')}</h2>
          <Chart labels={trend.map((r) => r.key.slice(4, 6) + '/' + r.key.slice(6))} series={[
            { name: t('issued'), values: trend.map((r) => r.issued), color: '#005aa0' },
            { name: t('wait_avg'), values: trend.map((r) => Math.round(r.wait_avg_s / 60)), color: '#c0392b' }]} /></section>
        <section><h2>{t('heatmap')}</h2>
          <HeatMap cells={new Map(heat.map((r) => [r.key, r.issued]))} weekdays={t('weekday_names').split(',')} /></section>
      </div>
    </div>
  );
}

interface CenterFigures {
  code: string; name: string; level: string; issued: number; called: number; served: number; no_show: number;
  wait_avg_s: number; wait_p90_s: number; service_avg_s: number; within_target: number; shipped_at: number;
}

// Every center of the province side by side, from the central database this
// center ships to (GET /api/province): the figures are the province's, exact
// over the range, and each center's row says how fresh its figures are.
function ProvinceView({ state }: { state: QueueState | null }) {
  const today = state?.day || dayOf(new Date());
  const [from, setFrom] = useState(today);
  const [to, setTo] = useState(today);
  const [centers, setCenters] = useState<CenterFigures[] | null>(null);
  const [none, setNone] = useState(false);
  const [error, setError] = useState('');
  const show = async () => {
    setError('');
    try {
      setCenters((await api.get(`/api/province?from=${from}&to=${to}`)).centers);
    } catch (e: any) {
      if (e?.status === 404) setNone(true);
      else setError(errorText(e));
    }
  };
  useEffect(() => { show(); }, []);
  if (none) return <p class="muted" data-province="none">{t('province_none')}</p>;
  return (
    <div class="stats">
      <form class="filters" onSubmit={(e) => { e.preventDefault(); show(); }}>
        <DateRange from={from} to={to} setFrom={setFrom} setTo={setTo} />
        <button type="submit" class="primary">{t('show')}</button>
      </form>
      <ErrorLine error={error} onClose={() => setError('')} />
      {centers && (
        <table class="grid" data-table="province">
          <thead><tr>
            <th>{t('center')}</th><th>{t('issued')}</th><th>{t('served')}</th><th>{t('no_show')}</th><th>{t('wait_avg')}</th>
            <th>{t('wait_p90')}</th><th>{t('service_avg')}</th><th>{t('within')}</th><th>{t('shipped_at')}</th>
          </tr></thead>
          <tbody>{centers.map((c) => (
            <tr data-center={c.code}>
              <td>{c.name} <span class="muted">({c.code})</span></td><td class="num" data-col="issued">{c.issued}</td><td class="num" data-col="served">{c.served}</td>
              <td class="num">{c.no_show}</td><td class="num" data-col="wait_avg">{minutes(c.wait_avg_s)}</td>
              <td class="num">{minutes(c.wait_p90_s)}</td><td class="num">{minutes(c.service_avg_s)}</td>
              <td class="num">{c.called ? percent(c.within_target) : '—'}</td>
              <td>{c.shipped_at ? `${dayToInput(dayOf(new Date(c.shipped_at)))} ${clock(c.shipped_at)}` : t('never')}</td>
            </tr>
          ))}</tbody>
        </table>
      )}
      <p class="muted">{t('wait_avg')}, {t('wait_p90')}… : {t('minutes')}</p>
      {centers && centers.length > 0 && (
        <section><h2>{t('wait_by_center')}</h2>
          <Chart bars labels={centers.map((c) => c.code)} series={[{ name: t('wait_avg'), values: centers.map((c) => Math.round(c.wait_avg_s / 60)), color: '#c0392b' }]} /></section>
      )}
    </div>
  );
}

function Dashboard({ me }: { me: Me }) {
  const live = useLive(useMemo(() => new Live(), []));
  const tabs = ['live', 'stats', 'bookings', 'visits', 'province'] as const;
  const [tab, setTab] = useState<(typeof tabs)[number]>(tabs.find((x) => location.hash === `#${x}`) ?? 'live');
  const [callsByHour, setCallsByHour] = useState<Map<string, number>>(new Map());
  const [error, setError] = useState('');
  const state = live.state;
  // Calls per hour: today's figures from the server (a day is read in well under
  // a millisecond), asked again after calls arrive, at most every two seconds
  // however steady the calls (a pending ask is not pushed back by the next call).
  const loadHours = () => api.get(`/api/stats?from=${state?.day || dayOf(new Date())}&by=call_hour`)
    .then((r) => setCallsByHour(new Map(r.rows.filter((x: Row) => x.key !== 'total' && x.key !== '-').map((x: Row) => [x.key, x.called]))))
    .catch((e) => setError(errorText(e)));
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  const calls = state?.calls ?? 0;
  useEffect(() => {
    if (!state || pending.current) return;
    pending.current = setTimeout(() => { pending.current = null; loadHours(); }, calls ? 2000 : 0);
  }, [calls, state?.day]);
  useEffect(() => () => { if (pending.current) clearTimeout(pending.current); }, []);
  return (
    <div class="dashboard">
      <TopBar title={t('app_dashboard')} me={me} link={live.link}>
        <span class="center-name">{state?.center.name}</span>
        <nav class="tabs">
          <button type="button" class={tab === 'live' ? 'on' : ''} onClick={() => setTab('live')}>{t('live')}</button>
          <button type="button" class={tab === 'stats' ? 'on' : ''} onClick={() => setTab('stats')}>{t('statistics')}</button>
          <button type="button" data-tab="bookings" class={tab === 'bookings' ? 'on' : ''} onClick={() => setTab('bookings')}>{t('bookings')}</button>
          <button type="button" data-tab="visits" class={tab === 'visits' ? 'on' : ''} onClick={() => setTab('visits')}>{tv('visits')}</button>
          <button type="button" data-tab="province" class={tab === 'province' ? 'on' : ''} onClick={() => setTab('province')}>{t('province')}</button>
        </nav>
      </TopBar>
      <ClockBanner status={state?.clock} />
      <main>
        {tab === 'live' && (state ? <LiveView state={state} targetMin={15} callsByHour={callsByHour} /> : <p class="loading">{t('connecting')}</p>)}
        {/* Both ask for the center's day (its time zone, not the browser's): wait for the state. */}
        {tab === 'stats' && (state ? <StatsView state={state} /> : <p class="loading">{t('connecting')}</p>)}
        {tab === 'bookings' && (state ? <BookingsView state={state} /> : <p class="loading">{t('connecting')}</p>)}
        {tab === 'visits' && (state ? <VisitsView state={state} /> : <p class="loading">{t('connecting')}</p>)}
        {tab === 'province' && (state ? <ProvinceView state={state} /> : <p class="loading">{t('connecting')}</p>)}
      </main>
      <ErrorLine error={error} onClose={() => setError('')} />
      <footer class="muted">{state ? `seq ${state.seq} · ${clock(Date.now())}` : ''}</footer>
    </div>
  );
}

render(<Session roles={['manager', 'admin']} deniedText={t('managers_only')}>{(me) => <Dashboard me={me} />}</Session>, document.getElementById('app')!);
