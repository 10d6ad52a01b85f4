// dossier (/m/d): a dossier's status by its code and check value, as on the
// receipt. /m/d?code=X (the receipt's QR) fills the code in; where the browser
// has BarcodeDetector the camera can read the QR; typing always works. An
// unknown code and a wrong check value get the same answer from the server,
// and too many lookups are told kindly with the wait. The center's own visits
// that named the dossier at a counter's finish say where and when (issue 22).
import { useEffect, useRef, useState } from 'preact/hooks';
import { language, t } from './i18n';
import { get, PublicError } from './net';
import { Page, useLanguage } from './ui';

interface Status { code: number; label: string; text: string; english: string }
interface Step extends Status { at: number; note?: string }
interface Visit { at: number; at_local?: string; counter: number; counter_name?: string; service: string; service_name?: string;
  service_name_en?: string; result?: string }
interface Dossier {
  code: string;
  procedure: { code: string; name: string };
  applicant: string;
  status: Status;
  overdue: boolean;
  received_date: string;
  appointment_date: string;
  pickup: string;
  supplements: string[];
  timeline: Step[];
  visits?: Visit[];
}

const words = (s: Status) => (language() === 'en' ? s.english || s.label : s.text || s.label);
const date = (iso: string) => (iso ? new Date(iso + 'T00:00:00').toLocaleDateString(language() === 'en' ? 'en-GB' : 'vi-VN') : '');

// What a receipt's QR may hold: a link with ?code= (and maybe &check=), or the bare code.
export function fromQr(text: string): { code: string; check: string } {
  try {
    const u = new URL(text);
    return { code: u.searchParams.get('code') ?? '', check: u.searchParams.get('check') ?? '' };
  } catch {
    return { code: text.trim(), check: '' };
  }
}

function Scanner({ onCode }: { onCode: (code: string, check: string) => void }) {
  const [on, setOn] = useState(false);
  const [error, setError] = useState('');
  const video = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (!on) return;
    let stream: MediaStream | null = null, timer = 0, live = true;
    const detector = new (window as any).BarcodeDetector({ formats: ['qr_code'] });
    const look = async () => {
      if (!live || !video.current) return;
      try {
        const found = await detector.detect(video.current);
        if (found.length) {
          const { code, check } = fromQr(found[0].rawValue);
          if (code) { onCode(code, check); setOn(false); return; }
        }
      } catch { /* the frame was not ready yet */ }
      timer = window.setTimeout(look, 250);
    };
    navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } })
      .then((s) => { stream = s; if (video.current) { video.current.srcObject = s; void video.current.play(); look(); } })
      .catch(() => { setError(t('camera_error')); setOn(false); });
    return () => { live = false; clearTimeout(timer); stream?.getTracks().forEach((tr) => tr.stop()); };
  }, [on]);
  if (!('BarcodeDetector' in window) || !navigator.mediaDevices) return null;
  return (
    <div class="scan">
      <button type="button" class="wide" data-action="scan" onClick={() => setOn(!on)}>{on ? t('scan_stop') : t('scan')}</button>
      {on && <><p class="muted">{t('scan_help')}</p><video ref={video} muted playsInline aria-label={t('scan')} /></>}
      {error && <p class="error" role="alert">{error}</p>}
    </div>
  );
}

const results = ['received', 'returned_for_supplement', 'advised_only', 'refused', 'result_returned'];

// "04/12/2026 09:12 — Đã tiếp nhận hồ sơ tại Quầy 3 (Tiếp nhận hồ sơ)".
function visitText(v: Visit): string {
  let where = v.counter_name || t('counter_n', { n: v.counter });
  const service = language() === 'en' ? v.service_name_en || v.service_name : v.service_name;
  if (service) where += ` (${service})`;
  const key = (v.result && results.includes(v.result) ? `visit_${v.result}` : 'visit_none') as Parameters<typeof t>[0];
  return t(key, { x: where });
}

function Visits({ visits }: { visits?: Visit[] }) {
  if (!visits?.length) return null;
  const locale = language() === 'en' ? 'en-GB' : 'vi-VN';
  return (
    <>
      <h3>{t('visits')}</h3>
      <ul class="timeline visits">
        {visits.map((v) => (
          <li data-visit={v.counter}><time>{v.at_local ?? new Date(v.at).toLocaleString(locale, { dateStyle: 'short', timeStyle: 'short' })}</time> {visitText(v)}</li>
        ))}
      </ul>
    </>
  );
}

function Result({ d }: { d: Dossier }) {
  return (
    <section class="panel result" aria-labelledby="result-h" data-dossier={d.code} tabIndex={-1}>
      <h2 id="result-h">{d.procedure?.name || d.code}</h2>
      <p class="status" data-status={d.status.code}><b>{words(d.status)}</b></p>
      {d.overdue && <p class="warn">{t('overdue')}</p>}
      <dl class="facts list">
        <div><dt>{t('dossier_code')}</dt><dd>{d.code}</dd></div>
        {d.applicant && <div><dt>{t('applicant')}</dt><dd>{d.applicant}</dd></div>}
        {d.received_date && <div><dt>{t('received')}</dt><dd>{date(d.received_date)}</dd></div>}
        {d.appointment_date && <div><dt>{t('appointment')}</dt><dd>{date(d.appointment_date)}</dd></div>}
        {d.pickup && <div><dt>{t('pickup')}</dt><dd>{d.pickup}</dd></div>}
      </dl>
      <Visits visits={d.visits} />
      {d.supplements?.length > 0 && <><h3>{t('supplements')}</h3><ul>{d.supplements.map((s) => <li>{s}</li>)}</ul></>}
      {d.timeline?.length > 0 && (
        <>
          <h3>{t('timeline')}</h3>
          <ol class="timeline">
            {d.timeline.map((s) => (
              <li><time>{new Date(s.at).toLocaleDateString(language() === 'en' ? 'en-GB' : 'vi-VN')}</time> {words(s)}
                {s.note && <small>{s.note}</small>}</li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}

export function DossierPage() {
  useLanguage();
  const params = new URLSearchParams(location.search);
  const [code, setCode] = useState(params.get('code') ?? '');
  const [check, setCheck] = useState(params.get('check') ?? '');
  const [d, setD] = useState<Dossier | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const checkInput = useRef<HTMLInputElement>(null);
  const look = async (c = code, k = check) => {
    setBusy(true);
    setError('');
    setD(null);
    try {
      setD(await get(`/api/public/dossiers/${encodeURIComponent(c.trim())}?check=${encodeURIComponent(k.trim())}`));
    } catch (e) {
      const pe = e instanceof PublicError ? e : new PublicError(0, 'offline');
      setError(pe.status === 404 ? t('dossier_none') : pe.status === 429 ? t('too_many', { n: pe.retryAfter || 60 })
              : pe.status === 0 ? t('net_error') : t('try_again'));
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    if (d) document.querySelector<HTMLElement>('.result')?.focus();
  }, [d]);
  const scanned = (c: string, k: string) => {
    setCode(c);
    if (k) { setCheck(k); void look(c, k); } else checkInput.current?.focus();
  };
  return (
    <Page class="dossier">
      <h1 tabIndex={-1}>{t('dossier')}</h1>
      <Scanner onCode={scanned} />
      <form onSubmit={(e) => { e.preventDefault(); void look(); }}>
        <div class="field">
          <label for="d-code">{t('dossier_code')}</label>
          <input id="d-code" name="code" value={code} autoComplete="off" autoCapitalize="characters" spellcheck={false} required
                 onInput={(e) => setCode(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="d-check">{t('check')}</label>
          <input id="d-check" name="check" ref={checkInput} value={check} autoComplete="off" inputMode="numeric" required
                 onInput={(e) => setCheck(e.currentTarget.value)} />
        </div>
        <button type="submit" class="wide primary" disabled={busy || !code.trim() || !check.trim()}>{t('look_up')}</button>
      </form>
      {error && <p class="error" role="alert" data-error>{error}</p>}
      {d && <Result d={d} />}
      <p><a href="/m/">{t('back_home')}</a></p>
    </Page>
  );
}
