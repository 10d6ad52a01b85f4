// waiting (/m/q): the hall's queue from outside — how many wait per service,
// about how long, and the numbers just called. The hall display's optional QR
// points here. Fetched every few seconds while the page is in view (the
// server lets it be cached for 2 s), at once when the phone wakes up.
import { useEffect, useState } from 'preact/hooks';
import { kindWait, language, t } from './i18n';
import { get } from './net';
import { counterName } from './ticket';
import { Page, useLanguage } from './ui';

interface Waiting {
  center: string;
  services: { code: string; name_vi: string; name_en: string; waiting: number; est_wait_s: number }[];
  last_calls: { number: string; counter: number; counter_name: string; at: number }[];
}

const EVERY_MS = 5000;
const clock = (ms: number) => new Date(ms).toLocaleTimeString(language() === 'en' ? 'en-GB' : 'vi-VN');

export function WaitingPage() {
  useLanguage();
  const [w, setW] = useState<Waiting | null>(null);
  const [at, setAt] = useState(0);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let timer = 0;
    const load = async () => {
      clearTimeout(timer);
      if (document.visibilityState === 'visible') {
        try {
          setW(await get('/api/public/waiting'));
          setAt(Date.now());
          setFailed(false);
        } catch {
          setFailed(true);
        }
      }
      timer = window.setTimeout(load, EVERY_MS);
    };
    const wake = () => document.visibilityState === 'visible' && load();
    document.addEventListener('visibilitychange', wake);
    window.addEventListener('online', load);
    load();
    return () => {
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', wake);
      window.removeEventListener('online', load);
    };
  }, []);
  return (
    <Page class="waiting">
      <h1 tabIndex={-1}>{t('waiting_title')}</h1>
      {failed && <p class="banner" role="status" data-link="offline">{t('offline')}</p>}
      {w && <p class="muted">{w.center} · {t('updated', { t: clock(at) })}</p>}
      {w && (
        <>
          <ul class="services" data-services={w.services.length}>
            {w.services.map((s) => (
              <li data-service={s.code}>
                <span class="name">{(language() === 'en' && s.name_en) || s.name_vi}</span>
                <span class="count"><b data-waiting={s.waiting}>{s.waiting ? t('persons', { n: s.waiting }) : t('nobody')}</b>
                  {s.waiting > 0 && <small>{kindWait(s.est_wait_s)}</small>}</span>
              </li>
            ))}
          </ul>
          <h2>{t('last_calls')}</h2>
          {w.last_calls.length === 0 ? <p>{t('no_calls')}</p> : (
            <ul class="calls">
              {w.last_calls.map((c) => <li data-call={c.number}><b>{c.number}</b> → {counterName(c)}</li>)}
            </ul>
          )}
        </>
      )}
      {!w && !failed && <p>{t('loading')}</p>}
      <p><a href="/m/">{t('back_home')}</a></p>
    </Page>
  );
}
