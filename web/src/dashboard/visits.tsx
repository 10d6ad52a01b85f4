// visits: the dashboard's "Visits" tab (issue 22) — the counter's real day over
// a range: each service as a step of visits (wait, service, parks) and whole
// visits by their number of steps (GET /api/stats/visits), what the steps came
// to per procedure (/api/stats/outcomes), the calls out of order with their
// reasons (/api/stats/out-of-order), and each staff member's figures at each
// counter (/api/stats/staff). Every table downloads the server's CSV of it:
// the page shows the server's numbers, it never computes its own.
import { useEffect, useState } from 'preact/hooks';
import { api, download } from '../lib/api';
import { duration, minutes } from '../lib/format';
import { language, t, tv } from '../lib/i18n';
import { serviceName, type QueueState } from '../lib/live';
import { ErrorLine, errorText } from '../lib/ui';
import { DateRange } from './date_range';
import './visits.css';

interface StepRow {
  service: string; total: boolean; steps: number; called: number; served: number; no_show: number; cancelled: number;
  wait_avg_s: number; wait_median_s: number; wait_p90_s: number; service_avg_s: number; parks: number; parked_s: number;
}
interface VisitRow { steps: number; total: boolean; visits: number; completed: number; time_avg_s: number; time_median_s: number; time_p90_s: number }
interface OutcomeRow {
  procedure: string; total: boolean; outcomes: number; received: number; returned_for_supplement: number; advised_only: number;
  refused: number; result_returned: number; no_result: number; dossiers: number;
}
interface OutOfOrder { at: number; time: string; number: string; service: string; counter: number; staff: string; reason: string }
interface Caller { staff: string; calls: number; out_of_order: number }
interface BreakReason { reason: string; breaks: number; seconds: number }
interface StaffRow {
  staff: string; counter: number; total: boolean; calls: number; served: number; service_avg_s: number; walk_avg_s: number;
  idle_s: number; out_of_order: number; signed_in_s: number; breaks: number; break_s: number; break_reasons: BreakReason[];
}
interface Report { steps: StepRow[]; visits: VisitRow[]; outcomes: OutcomeRow[]; calls: OutOfOrder[]; callers: Caller[]; staff: StaffRow[] }

const results = ['received', 'returned_for_supplement', 'advised_only', 'refused', 'result_returned', 'no_result'] as const;
const total = (s: number) => duration(s * 1000);  // a sum of seconds as h:mm:ss

// A section's title with the link that downloads its table as the server's CSV.
function Head({ title, csv, name, file, onError }: { title: string; csv: string; name: string; file: string; onError: (e: string) => void }) {
  return (
    <div class="visits-head">
      <h2>{title}</h2>
      <button type="button" data-export={name} onClick={() => download(csv, file).catch((e) => onError(errorText(e)))}>{t('export_csv')}</button>
    </div>
  );
}

// Procedure names from the catalog, for the codes the outcomes name (unknown ones keep their code alone).
function useProcedureNames(codes: string[]): Map<string, string> {
  const [names, setNames] = useState(new Map<string, string>());
  const key = codes.join('|');
  useEffect(() => {
    Promise.all(codes.map((c) => api.get(`/api/procedures/${encodeURIComponent(c)}`).then((p) => [c, p.name] as [string, string]).catch(() => null)))
      .then((found) => setNames(new Map(found.filter((x): x is [string, string] => x !== null))));
  }, [key]);
  return names;
}

function StepsTable({ rows, state }: { rows: StepRow[]; state: QueueState }) {
  const lang = language();
  return (
    <table class="grid" data-table="steps">
      <thead><tr>
        <th>{t('service')}</th><th>{tv('vs_steps')}</th><th>{tv('vs_called')}</th><th>{t('served')}</th><th>{t('no_show')}</th>
        <th>{t('wait_avg')}</th><th>{t('wait_median')}</th><th>{t('wait_p90')}</th><th>{t('service_avg')}</th>
        <th>{tv('vs_parks')}</th><th>{tv('vs_parked')}</th>
      </tr></thead>
      <tbody>{rows.map((r) => (
        <tr data-service={r.total ? 'total' : r.service} class={r.total ? 'total' : ''}>
          <td>{r.total ? t('total') : `${r.service} — ${serviceName(state, r.service, lang)}`}</td>
          <td class="num" data-col="steps">{r.steps}</td><td class="num" data-col="called">{r.called}</td>
          <td class="num" data-col="served">{r.served}</td><td class="num" data-col="no_show">{r.no_show}</td>
          <td class="num" data-col="wait_avg">{minutes(r.wait_avg_s)}</td><td class="num" data-col="wait_median">{minutes(r.wait_median_s)}</td>
          <td class="num" data-col="wait_p90">{minutes(r.wait_p90_s)}</td><td class="num" data-col="service_avg">{minutes(r.service_avg_s)}</td>
          <td class="num" data-col="parks">{r.parks}</td><td class="num" data-col="parked">{total(r.parked_s)}</td>
        </tr>
      ))}</tbody>
    </table>
  );
}

function VisitsTable({ rows }: { rows: VisitRow[] }) {
  return (
    <table class="grid" data-table="visits">
      <thead><tr>
        <th>{tv('vs_visit_steps')}</th><th>{tv('vs_visits')}</th><th>{tv('vs_completed')}</th>
        <th>{tv('vs_time_avg')}</th><th>{tv('vs_time_median')}</th><th>{tv('vs_time_p90')}</th>
      </tr></thead>
      <tbody>{rows.map((r) => (
        <tr data-steps={r.steps} class={r.total ? 'total' : ''}>
          <td>{r.total ? t('total') : r.steps}</td>
          <td class="num" data-col="visits">{r.visits}</td><td class="num" data-col="completed">{r.completed}</td>
          <td class="num" data-col="time_avg">{minutes(r.time_avg_s)}</td><td class="num" data-col="time_median">{minutes(r.time_median_s)}</td>
          <td class="num" data-col="time_p90">{minutes(r.time_p90_s)}</td>
        </tr>
      ))}</tbody>
    </table>
  );
}

function OutcomesTable({ rows }: { rows: OutcomeRow[] }) {
  const names = useProcedureNames(rows.filter((r) => !r.total && r.procedure).map((r) => r.procedure));
  const label = (r: OutcomeRow) => r.total ? t('total') : !r.procedure ? tv('vs_no_procedure')
    : names.has(r.procedure) ? `${r.procedure} — ${names.get(r.procedure)}` : r.procedure;
  return (
    <table class="grid" data-table="outcomes">
      <thead><tr>
        <th>{tv('vs_procedure')}</th><th>{tv('vs_outcomes')}</th>{results.map((k) => <th>{tv(`vs_${k}`)}</th>)}<th>{tv('vs_dossiers')}</th>
      </tr></thead>
      <tbody>{rows.map((r) => (
        <tr data-procedure={r.total ? 'total' : r.procedure} class={r.total ? 'total' : ''}>
          <td>{label(r)}</td><td class="num" data-col="outcomes">{r.outcomes}</td>
          {results.map((k) => <td class="num" data-col={k}>{r[k]}</td>)}
          <td class="num" data-col="dossiers">{r.dossiers}</td>
        </tr>
      ))}</tbody>
    </table>
  );
}

function OutOfOrderList({ calls, callers, state }: { calls: OutOfOrder[]; callers: Caller[]; state: QueueState }) {
  const counter = (id: number) => state.counters.find((k) => k.id === id)?.name ?? String(id);
  return (
    <>
      {calls.length === 0 ? <p class="muted" data-ooo="0">{tv('vs_ooo_none')}</p> : (
        <table class="grid" data-table="out-of-order">
          <thead><tr><th>{tv('vs_time')}</th><th>{t('ticket')}</th><th>{t('service')}</th><th>{t('counter')}</th><th>{t('staff')}</th><th>{tv('vs_reason')}</th></tr></thead>
          <tbody>{calls.map((c) => (
            <tr data-at={c.at}>
              <td data-col="time">{c.time}</td><td data-col="number"><b>{c.number}</b></td><td data-col="service">{c.service}</td>
              <td data-col="counter">{counter(c.counter)}</td><td data-col="staff">{c.staff}</td><td data-col="reason">{c.reason}</td>
            </tr>
          ))}</tbody>
        </table>
      )}
      <h3>{tv('vs_ooo_by_staff')}</h3>
      <table class="grid" data-table="callers">
        <thead><tr><th>{t('staff')}</th><th>{tv('vs_calls')}</th><th>{tv('vs_out_of_order')}</th></tr></thead>
        <tbody>{callers.map((c) => (
          <tr data-staff={c.staff}><td>{c.staff || '—'}</td><td class="num" data-col="calls">{c.calls}</td><td class="num" data-col="out_of_order">{c.out_of_order}</td></tr>
        ))}</tbody>
      </table>
    </>
  );
}

function reasonsText(reasons: BreakReason[]): string {
  return reasons.map((b) => `${b.reason || tv('vs_no_reason')} (${b.breaks}): ${total(b.seconds)}`).join('; ');
}

function StaffTable({ rows, state }: { rows: StaffRow[]; state: QueueState }) {
  const counter = (id: number) => state.counters.find((k) => k.id === id)?.name ?? String(id);
  return (
    <table class="grid" data-table="staff">
      <thead><tr>
        <th>{t('staff')}</th><th>{t('counter')}</th><th>{tv('vs_calls')}</th><th>{t('served')}</th><th>{t('service_avg')}</th>
        <th>{tv('vs_walk')}</th><th>{tv('vs_idle')}</th><th>{tv('vs_out_of_order')}</th><th>{tv('vs_signed_in')}</th>
        <th>{tv('vs_breaks')}</th><th>{tv('vs_break')}</th><th>{tv('vs_break_reasons')}</th>
      </tr></thead>
      <tbody>{rows.map((r) => (
        <tr data-staff={r.staff} data-counter={r.counter} class={r.total ? 'total' : ''}>
          <td>{r.total ? t('total') : r.staff || '—'}</td><td>{r.total ? '' : counter(r.counter)}</td>
          <td class="num" data-col="calls">{r.calls}</td><td class="num" data-col="served">{r.served}</td>
          <td class="num" data-col="service_avg">{minutes(r.service_avg_s)}</td><td class="num" data-col="walk_avg">{minutes(r.walk_avg_s)}</td>
          <td class="num" data-col="idle">{total(r.idle_s)}</td><td class="num" data-col="out_of_order">{r.out_of_order}</td>
          <td class="num" data-col="signed_in">{total(r.signed_in_s)}</td><td class="num" data-col="breaks">{r.breaks}</td>
          <td class="num" data-col="break">{total(r.break_s)}</td><td data-col="break_reasons">{reasonsText(r.break_reasons)}</td>
        </tr>
      ))}</tbody>
    </table>
  );
}

export function VisitsView({ state }: { state: QueueState }) {
  const [from, setFrom] = useState(state.day);
  const [to, setTo] = useState(state.day);
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState('');
  const query = `from=${from}&to=${to}`;
  const show = async () => {
    setError('');
    try {
      const [visits, outcomes, ooo, staff] = await Promise.all(
        ['visits', 'outcomes', 'out-of-order', 'staff'].map((r) => api.get(`/api/stats/${r}?${query}`)));
      setReport({ steps: visits.steps, visits: visits.visits, outcomes: outcomes.rows, calls: ooo.rows, callers: ooo.by_staff, staff: staff.rows });
    } catch (e) {
      setReport(null);
      setError(errorText(e));
    }
  };
  useEffect(() => { show(); }, []);
  const csv = (route: string, extra = '') => `/api/stats/${route}?${query}&format=csv${extra}`;
  const head = (title: string, path: string, name: string) => <Head title={title} csv={path} name={name} file={`${name}-${from}-${to}.csv`} onError={setError} />;
  return (
    <div class="stats" data-view="visits">
      <form class="filters" onSubmit={(e) => { e.preventDefault(); show(); }}>
        <DateRange from={from} to={to} setFrom={setFrom} setTo={setTo} />
        <button type="submit" class="primary">{t('show')}</button>
      </form>
      <ErrorLine error={error} onClose={() => setError('')} />
      {report && (
        <>
          <section>{head(tv('vs_steps_title'), csv('visits'), 'visit-steps')}<StepsTable rows={report.steps} state={state} /></section>
          <section>{head(tv('vs_visits_title'), csv('visits', '&table=visits'), 'visits')}<VisitsTable rows={report.visits} /></section>
          <section>{head(tv('vs_outcomes_title'), csv('outcomes'), 'outcomes')}<OutcomesTable rows={report.outcomes} /></section>
          <section>{head(tv('vs_ooo_title'), csv('out-of-order'), 'out-of-order')}<OutOfOrderList calls={report.calls} callers={report.callers} state={state} /></section>
          <section>{head(tv('vs_staff_title'), csv('staff'), 'staff')}<StaffTable rows={report.staff} state={state} /></section>
          <p class="muted">{tv('vs_note')}</p>
        </>
      )}
    </div>
  );
}
