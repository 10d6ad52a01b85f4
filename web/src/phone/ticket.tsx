// ticket: the page a ticket's QR opens (/t/{key}). The number, the service,
// the state in words, how many people are ahead and about how long, and once
// called the counter in very large type. A visit across desks (issue 22) says
// its next step and the steps after it; a parked ticket the time to be back by.
// Live from the ticket's own stream; when the link is lost it says so until it
// is back. An unknown or expired key gets a kind page — never another ticket.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ring } from './alerts';
import { Follow } from './follow';
import { kindWait, language, t } from './i18n';
import type { TicketView } from './net';
import { AlertPanel, Late, Leave, Sms, loadChoice, saveChoice, type AlertChoice } from './ticket_controls';
import { focusHeading, Page, useLanguage } from './ui';

export function counterName(v: { counter: number; counter_name?: string }): string {
  // The center's own name ("Quầy 3") is Vietnamese; in English say "Counter 3".
  if (language() === 'vi' && v.counter_name) return v.counter_name;
  return t('counter_n', { n: v.counter });
}

const serviceName = (v: TicketView) => (language() === 'en' && v.service_name_en) || v.service_name_vi || v.service;
type Step = { service: string; name_vi: string; name_en: string };
const stepName = (s: Step) => (language() === 'en' && s.name_en) || s.name_vi || s.service;

function stateWords(v: TicketView): string {
  // Past its first desk the citizen is told this is the next step, not a new queue.
  const next = (v.step ?? 0) > 0;
  // Called: the counter follows in very large type, in the same live region.
  if (v.state === 'called') return next ? t('step_called', { service: serviceName(v) }) : t('state_called');
  if (v.state === 'serving') return `${t('state_serving')} — ${t('at_counter', { counter: counterName(v) })}`;
  if (v.state === 'waiting' && next) return t('step_waiting', { service: serviceName(v) });
  if (v.state === 'parked') return t('state_parked', { time: v.parked_until_local ?? '' });
  return t(`state_${v.state}` as 'state_waiting');
}

// "Sau đó: Trả kết quả": the desks still to come, while the visit goes on.
function LaterSteps({ view }: { view: TicketView }) {
  const later = view.next_steps ?? [];
  if (!later.length || !['waiting', 'called', 'serving', 'parked'].includes(view.state)) return null;
  const names = later.map(stepName).join(' → ');
  return <p class="muted steps" data-later-steps={later.map((s) => s.service).join(' ')}>{t('steps_later', { steps: names })}</p>;
}

function Card({ view }: { view: TicketView }) {
  return (
    <section class="ticket" data-state={view.state} aria-labelledby="ticket-h">
      <h1 id="ticket-h" tabIndex={-1}>
        <span class="label">{t('your_ticket')}</span>
        <span class="number" data-number={view.number}>{view.number}</span>
      </h1>
      <p class="service" data-step={view.step ?? 0}>{serviceName(view)}</p>
      <div aria-live="polite" aria-atomic="true">
        <p class="state" data-state-text>{stateWords(view)}</p>
        {view.state === 'called' && (
          <p class="call" data-counter={view.counter}>{t('go_to', { counter: '' })}<b>{counterName(view)}</b></p>
        )}
      </div>
      <LaterSteps view={view} />
      {view.state === 'waiting' && (
        <dl class="facts">
          <div><dt>{t('people_ahead')}</dt><dd data-ahead={view.people_ahead}>{view.people_ahead}</dd></div>
          <div><dt>{t('est_wait')}</dt><dd data-wait={view.est_wait_s}>{kindWait(view.est_wait_s)}</dd></div>
        </dl>
      )}
      {view.center && <p class="muted center">{view.center}</p>}
    </section>
  );
}

function NotFound() {
  return (
    <Page class="missing">
      <h1 tabIndex={-1} data-missing>{t('not_found_title')}</h1>
      <p class="big">{t('not_found')}</p>
      <p>{t('not_found_hint')}</p>
      <p><a class="button wide" href="/m/">{t('back_home')}</a></p>
    </Page>
  );
}

type Fired = { kind: 'near' | 'called'; text: string } | null;

// Fires the alert once per crossing: once when the line gets within N, once
// per call (a recall rings again), and again if the ticket moved back.
function useAlerts(key: string, view: TicketView | null, choice: AlertChoice | null): Fired {
  const [fired, setFired] = useState<Fired>(null);
  const near = useRef(false), calledAt = useRef(0);
  useEffect(() => {
    if (!view || !choice) return;
    if (view.state === 'waiting' && view.people_ahead > choice.ahead) near.current = false;
    if (view.state !== 'waiting' && view.state !== 'called') setFired(null);
    if (!choice.on) return;
    if (view.state === 'waiting' && view.people_ahead <= choice.ahead && !near.current) {
      near.current = true;
      const text = t('alert_near', { number: view.number, n: view.people_ahead });
      setFired({ kind: 'near', text });
      ring(view.number, text);
    } else if (view.state === 'called' && view.called_at !== calledAt.current) {
      calledAt.current = view.called_at;
      const text = t('alert_called', { number: view.number, counter: counterName(view) });
      setFired({ kind: 'called', text });
      ring(view.number, text);
    }
  }, [key, view, choice]);
  return fired;
}

export function TicketPage({ ticketKey }: { ticketKey: string }) {
  useLanguage();
  const follow = useMemo(() => new Follow(ticketKey), [ticketKey]);
  const [, render] = useState(0);
  useEffect(() => {
    const off = follow.subscribe(() => render((n) => n + 1));
    follow.start();
    return () => {
      off();
      follow.stop();
    };
  }, [follow]);
  const { view, link, missing } = follow.state;
  const [choice, setChoice] = useState<AlertChoice | null>(null);
  useEffect(() => {
    if (view && !choice) setChoice(loadChoice(ticketKey, view));
    if (view) localStorage.setItem('phone.ticket', JSON.stringify({ key: ticketKey, number: view.number, day: view.day }));
  }, [view]);
  useEffect(focusHeading, [!view, missing]);
  const fired = useAlerts(ticketKey, view, choice);
  const choose = (c: AlertChoice) => {
    setChoice(c);
    saveChoice(ticketKey, c);
  };

  if (missing) return <NotFound />;
  if (!view) {
    return (
      <Page>
        {link === 'offline' && <p class="banner" role="status" data-link="offline">{t('offline')}</p>}
        <h1 tabIndex={-1}>{t('loading')}</h1>
      </Page>
    );
  }
  const waiting = view.state === 'waiting';
  return (
    <Page class="follow">
      <p class={`banner ${link === 'offline' ? '' : 'hidden'}`} role="status" data-link={link}>
        {link === 'offline' ? t('offline') : ''}
      </p>
      {fired && <div class={`alert ${fired.kind}`} role="alert" data-alert={fired.kind}>{fired.text}</div>}
      <Card view={view} />
      {(waiting || view.state === 'called') && choice && <AlertPanel choice={choice} onChoice={choose} />}
      {waiting && (
        <section class="panel actions" aria-label={t('leave') + ' / ' + t('late')}>
          <Late ticketKey={ticketKey} view={view} onView={(v) => follow.show(v)} />
          <Leave ticketKey={ticketKey} view={view} onView={(v) => follow.show(v)} />
        </section>
      )}
      {waiting && <Sms ticketKey={ticketKey} view={view} ahead={choice?.ahead ?? 3} />}
      {!waiting && view.state !== 'called' && <p><a class="button wide" href="/m/">{t('back_home')}</a></p>}
    </Page>
  );
}
