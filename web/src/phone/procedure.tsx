// procedure (/m/p/{code}/): one procedure with the checklist of documents to
// bring, printable (phone.css has a print sheet: the checklist on paper with
// boxes to tick) and shareable (the phone's share sheet, else the link copied).
// The trailing slash keeps codes with dots ("1.001193") from looking like a
// file name to the server's page rule.
import { useEffect, useState } from 'preact/hooks';
import { t } from './i18n';
import { get, PublicError } from './net';
import { focusHeading, Page, useLanguage } from './ui';

interface Doc {
  name: string;
  originals: number;
  copies: number;
  note: string;
}
interface Procedure {
  code: string;
  name: string;
  field: string;
  level: string;
  agency: string;
  processing_days: number | null;
  processing_time: string;
  fee: string;
  documents: Doc[];
  steps: string[];
  legal_basis: string[];
  online_level: number | null;
  service: string;
  source: string;
}

function Share({ title }: { title: string }) {
  const [said, setSaid] = useState('');
  const share = async () => {
    const url = location.href;
    if (navigator.share) {
      try {
        await navigator.share({ title, url });
        return;
      } catch {
        /* dismissed, or refused: fall through to copying */
      }
    }
    try {
      await navigator.clipboard.writeText(url);
      setSaid(t('copied'));
    } catch {
      setSaid(`${t('copy_here')} ${url}`);
    }
  };
  return (
    <>
      <div class="row no-print">
        <button type="button" class="primary" data-action="print" onClick={() => window.print()}>{t('print')}</button>
        <button type="button" data-action="share" onClick={share}>{t('share')}</button>
      </div>
      <p role="status" class="ok no-print">{said}</p>
    </>
  );
}

function Facts({ p }: { p: Procedure }) {
  const time = p.processing_time || (p.processing_days ? t('days', { n: p.processing_days }) : '');
  return (
    <dl class="facts list">
      {p.code && <div><dt>{t('code')}</dt><dd>{p.code}</dd></div>}
      {p.field && <div><dt>{t('field')}</dt><dd>{p.field}{p.level ? ` · ${t('level')} ${p.level}` : ''}</dd></div>}
      {p.agency && <div><dt>{t('agency')}</dt><dd>{p.agency}</dd></div>}
      {time && <div><dt>{t('time')}</dt><dd>{time}</dd></div>}
      {p.fee && <div><dt>{t('fee')}</dt><dd>{p.fee}</dd></div>}
    </dl>
  );
}

function Body({ p }: { p: Procedure }) {
  return (
    <>
      <Share title={p.name} />
      <Facts p={p} />
      <section aria-labelledby="docs-h">
        <h2 id="docs-h">{t('documents')}</h2>
        <ul class="checklist" data-documents={p.documents.length}>
          {p.documents.map((d, i) => (
            <li>
              <input type="checkbox" id={`doc-${i}`} />
              <label for={`doc-${i}`}>
                {d.name}
                {(d.originals > 0 || d.copies > 0 || d.note) && (
                  <small>{[d.originals > 0 && t('originals', { n: d.originals }), d.copies > 0 && t('copies', { n: d.copies }), d.note]
                    .filter(Boolean).join(' · ')}</small>
                )}
              </label>
            </li>
          ))}
        </ul>
      </section>
      {p.steps.length > 0 && (
        <section aria-labelledby="steps-h"><h2 id="steps-h">{t('steps')}</h2><ol>{p.steps.map((s) => <li>{s}</li>)}</ol></section>
      )}
      {p.legal_basis.length > 0 && (
        <section aria-labelledby="legal-h"><h2 id="legal-h">{t('legal')}</h2><ul>{p.legal_basis.map((s) => <li>{s}</li>)}</ul></section>
      )}
      {p.online_level ? <p>{t('online', { n: p.online_level })}</p> : null}
      {/^https:\/\//.test(p.source) && <p class="no-print"><a href={p.source} rel="noopener noreferrer">{t('source')}</a></p>}
    </>
  );
}

export function ProcedurePage({ code }: { code: string }) {
  useLanguage();
  const [p, setP] = useState<Procedure | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    setP(null);
    setError('');
    get(`/api/public/procedures/${encodeURIComponent(code)}`)
      .then(setP)
      .catch((e) => setError(e instanceof PublicError && e.status === 404 ? t('no_procedure') : e.status === 0 ? t('net_error') : t('try_again')));
  }, [code]);
  useEffect(focusHeading, [p, error]);
  return (
    <Page class="procedure">
      <h1 tabIndex={-1}>{p ? p.name : error ? t('procedure') : t('loading')}</h1>
      {p ? <Body p={p} /> : error && <p class="error" role="alert">{error}</p>}
      <p class="no-print"><a href="/m/">{t('back_home')}</a></p>
    </Page>
  );
}
