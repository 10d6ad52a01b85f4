// clock_banner: tells the manager that the server's wall clock stepped.
//
// Why: when the machine's clock is set back, the server keeps its own time moving
// (tickets, days and figures stay in order) and so runs ahead of the wall clock
// until it catches up. Nothing is refused, but someone should fix the clock: the
// banner says what happened and when, while the server is still ahead of its wall
// clock or for an hour after a step. The status comes with every snapshot of the
// live state, and from /healthz once a minute, so a step between snapshots shows too.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../lib/api';
import { clock, dayOf, dayToInput } from '../lib/format';
import { t } from '../lib/i18n';
import type { ClockStatus } from '../lib/live';
import { useNow } from '../lib/ui';
import './clock_banner.css';

const kToleranceMs = 2000; // the server's: smaller differences are drift, not a step
const kRecentMs = 3_600_000;

// "10 phút", "3 giờ 5 phút", "30 ngày"
export function span(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 60) return `${s} ${t('seconds')}`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} ${t('minutes')}`;
  const h = Math.floor(m / 60);
  if (h >= 48) return `${Math.round(h / 24)} ${t('days')}`;
  return m % 60 ? `${h} ${t('hours')} ${m % 60} ${t('minutes')}` : `${h} ${t('hours')}`;
}

// The time of day, with the date when it is not today's.
function when(ms: number, now: number): string {
  const day = dayOf(new Date(ms));
  return day === dayOf(new Date(now)) ? clock(ms) : `${clock(ms)} ${dayToInput(day)}`;
}

function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (_, key) => values[key] ?? '');
}

// The sentences to show, none when the clock is fine.
export function clockWarnings(c: ClockStatus | undefined, now: number): string[] {
  if (!c) return [];
  const ahead = c.ahead_of_wall_ms > kToleranceMs;
  const recent = c.steps > 0 && now - c.last_step_at_ms < kRecentMs;
  if (!ahead && !recent) return [];
  const out: string[] = [];
  if (c.steps > 0)
    out.push(fill(t(c.last_step_ms < 0 ? 'clock_back' : 'clock_forward'), { size: span(c.last_step_ms), at: when(c.last_step_at_ms, now) }));
  if (ahead) out.push(fill(t('clock_ahead'), { size: span(c.ahead_of_wall_ms) }));
  return out;
}

// The newest clock status: the snapshot's, or a later /healthz answer's.
function useClockStatus(fromSnapshot: ClockStatus | undefined): ClockStatus | undefined {
  const [status, setStatus] = useState(fromSnapshot);
  useEffect(() => setStatus(fromSnapshot), [fromSnapshot]);
  useEffect(() => {
    const id = setInterval(() => api.get('/healthz').then((h) => h.clock && setStatus(h.clock)).catch(() => {}), 60_000);
    return () => clearInterval(id);
  }, []);
  return status;
}

export function ClockBanner({ status }: { status: ClockStatus | undefined }) {
  const now = useNow(60_000);
  const warnings = clockWarnings(useClockStatus(status), now);
  if (warnings.length === 0) return null;
  return (
    <div class="clock-warning" role="alert" data-clock-warning>
      {warnings.map((w) => <p>⚠ {w}</p>)}
    </div>
  );
}
