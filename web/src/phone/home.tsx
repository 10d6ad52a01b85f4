// home (/m/): the procedure search (as the citizen types, diacritics optional:
// the server folds them and ranks like the kiosk), and the ways to the hall's
// live queue, the dossier lookup and, when this phone follows a ticket today,
// back to it.
import { useEffect, useState } from 'preact/hooks';
import { t } from './i18n';
import { get, PublicError } from './net';
import { Page, useDebounced, useLanguage } from './ui';

interface Hit {
  code: string;
  name: string;
  field: string;
  level: string;
}

export const procedureHref = (code: string) => `/m/p/${encodeURIComponent(code)}/`;

// The ticket this phone followed, if it was today's (a key dies with its day).
function lastTicket(): { key: string; number: string } | null {
  try {
    const saved = JSON.parse(localStorage.getItem('phone.ticket') ?? 'null');
    const d = new Date(), today = d.getFullYear() * 10000 + (d.getMonth() + 1) * 100 + d.getDate();
    return saved?.key && saved.day === today ? saved : null;
  } catch {
    return null;
  }
}

// The booking this phone made, while its day has not passed.
function lastBooking(): { key: string } | null {
  try {
    const saved = JSON.parse(localStorage.getItem('phone.booking') ?? 'null');
    const d = new Date(), today = d.getFullYear() * 10000 + (d.getMonth() + 1) * 100 + d.getDate();
    return saved?.key && saved.day >= today ? saved : null;
  } catch {
    return null;
  }
}

function Search() {
  const [q, setQ] = useState(new URLSearchParams(location.search).get('q') ?? '');
  const settled = useDebounced(q.trim(), 250);
  const [hits, setHits] = useState<Hit[] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    if (!settled) {
      setHits(null);
      return;
    }
    let current = true;
    get(`/api/public/procedures?q=${encodeURIComponent(settled)}&limit=10`)
      .then((r) => current && (setHits(r.hits), setError('')))
      .catch((e) => current && setError(e instanceof PublicError && e.status === 0 ? t('net_error') : t('try_again')));
    return () => { current = false; };
  }, [settled]);
  return (
    <section aria-labelledby="search-l" class="search">
      <form role="search" onSubmit={(e) => e.preventDefault()}>
        <label id="search-l" for="q">{t('search')}</label>
        <input id="q" name="q" type="search" value={q} autoComplete="off" aria-describedby="q-hint"
               onInput={(e) => setQ(e.currentTarget.value)} />
        <p id="q-hint" class="muted">{t('search_hint')}</p>
      </form>
      {error && <p class="error" role="alert">{error}</p>}
      <div aria-live="polite">
        {hits && hits.length === 0 && <p data-hits="0">{t('no_hits')}</p>}
        {hits && hits.length > 0 && (
          <ul class="hits" data-hits={hits.length}>
            {hits.map((h) => (
              <li><a href={procedureHref(h.code)}><span class="name">{h.name}</span>
                <small>{h.field}{h.level ? ` · ${t('level')} ${h.level}` : ''}</small></a></li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}

export function Home() {
  useLanguage();
  const mine = lastTicket();
  const booked = lastBooking();
  return (
    <Page class="home">
      <h1 tabIndex={-1}>{t('home_title')}</h1>
      {mine && <p><a class="button wide primary" href={`/t/${mine.key}`}>{t('my_ticket')}: {mine.number}</a></p>}
      {booked && <p><a class="button wide" href={`/b/${booked.key}`}>{t('my_booking')}</a></p>}
      <Search />
      <nav class="tiles" aria-label={t('app')}>
        <a href="/m/b" class="tile" data-tile="book"><span>{t('book')}</span><small>{t('book_text')}</small></a>
        <a href="/m/q" class="tile"><span>{t('hall')}</span><small>{t('hall_text')}</small></a>
        <a href="/m/d" class="tile"><span>{t('dossier')}</span><small>{t('dossier_text')}</small></a>
      </nav>
    </Page>
  );
}
