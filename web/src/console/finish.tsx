// finish: the outcome dialog at finish (issue 22) — the procedure handled, found
// with the server's catalog search (GET /api/procedures, the kiosk's ranking:
// nothing is ranked here), the dossier code received, the result, and the steps
// the visit still has to go (the ticket's own by default, editable). Keyboard
// first: type to search, ↑/↓ move in the results, Enter picks one and then
// submits, Esc closes the results and then the dialog.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../lib/api';
import { serviceName, serviceOf, type QueueState, type Ticket } from '../lib/live';
import { language, t } from '../lib/i18n';
import { Dialog, dayError, fill } from './day';

export const results = ['received', 'returned_for_supplement', 'advised_only', 'refused', 'result_returned'] as const;
const resultKey = (r: string) => `day_result_${r}` as Parameters<typeof t>[0];
const maxSteps = 5; // a visit has at most 5 steps in all (docs/counter.md)

interface Hit { code: string; name: string; field: string; level: string }

// What finish would send the ticket to by default: the steps the ticket carries,
// or its service's when it carries none.
export function defaultSteps(state: QueueState, ticket: Ticket): string[] {
  return ticket.next_steps ?? serviceOf(state, ticket.service)?.next_steps ?? [];
}

// Whether finish needs the dialog: the service asks what the visit came to, or the visit goes on.
export function finishNeedsDialog(state: QueueState, ticket: Ticket): boolean {
  const outcome = serviceOf(state, ticket.service)?.outcome ?? 'none';
  return outcome !== 'none' || defaultSteps(state, ticket).length > 0;
}

function ProcedureSearch({ picked, onPick }: { picked: Hit | null; onPick: (h: Hit | null) => void }) {
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<Hit[]>([]);
  const [active, setActive] = useState(0);
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const asked = useRef(0);
  const input = useRef<HTMLInputElement>(null);
  const search = async (q: string) => {
    setQuery(q);
    const mine = ++asked.current;
    if (!q.trim()) return setHits([]), setOpen(false), setNote('');
    try {
      const r = await api.get(`/api/procedures?q=${encodeURIComponent(q.trim())}&limit=8`);
      if (mine !== asked.current) return; // an answer to an older query
      setHits(r.hits.filter((h: Hit) => h.code)); // a procedure without a code cannot be recorded; the order stays the server's
      setActive(0);
      setOpen(true);
      setNote(r.hits.length ? '' : t('day_procedure_none'));
    } catch (e) {
      if (mine !== asked.current) return;
      setHits([]);
      setOpen(false);
      setNote(e instanceof ApiError && e.code === 'no_catalog' ? t('day_no_catalog') : dayError(e));
    }
  };
  const pick = (h: Hit) => {
    onPick(h);
    setOpen(false);
    setHits([]);
    setQuery('');
    // The next field: the dossier code.
    setTimeout(() => (document.querySelector('.day-dialog input[name=dossier]') as HTMLInputElement | null)?.focus());
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (!open || !hits.length) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((i) => (i + (e.key === 'ArrowDown' ? 1 : hits.length - 1)) % hits.length);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      pick(hits[active]);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      setOpen(false);
    }
  };
  if (picked)
    return (
      <div class="procedure-picked" data-procedure={picked.code}>
        <span><b>{picked.code}</b> — {picked.name}</span>
        <button type="button" onClick={() => { onPick(null); setTimeout(() => input.current?.focus()); }}>{t('day_change')}</button>
      </div>
    );
  return (
    <div class="procedure-search">
      <input ref={input} name="procedure" role="combobox" aria-label={t('day_procedure_search')} aria-autocomplete="list"
        aria-expanded={open ? 'true' : 'false'} aria-controls="procedure-hits"
        aria-activedescendant={open && hits.length ? `procedure-hit-${active}` : undefined}
        autoComplete="off" placeholder={t('day_procedure_search')} value={query} data-autofocus=""
        onInput={(e) => search(e.currentTarget.value)} onKeyDown={onKeyDown} />
      {open && hits.length > 0 && (
        <ul id="procedure-hits" role="listbox" class="procedure-hits" aria-label={t('day_procedure')}>
          {hits.map((h, i) => (
            <li id={`procedure-hit-${i}`} role="option" aria-selected={i === active} class={i === active ? 'active' : ''} data-code={h.code}
              onMouseDown={(e) => { e.preventDefault(); pick(h); }}>
              <b>{h.code}</b> <span>{h.name}</span> <small class="muted">{h.field}{h.level ? ` · ${h.level}` : ''}</small>
            </li>
          ))}
        </ul>
      )}
      {note && <p class="muted" role="status">{note}</p>}
    </div>
  );
}

// The services still to come, in order: remove one, add one (at most 5 steps in all).
function StepsEditor({ state, ticket, steps, setSteps }: { state: QueueState; ticket: Ticket; steps: string[]; setSteps: (s: string[]) => void }) {
  const lang = language();
  const room = maxSteps - 1 - (ticket.step ?? 0) - steps.length;
  return (
    <fieldset class="steps">
      <legend>{t('day_steps')}</legend>
      {steps.length === 0 ? <p class="muted" data-steps="">{t('day_steps_none')}</p> : (
        <ol data-steps={steps.join(',')}>
          {steps.map((code, i) => (
            <li>
              <span>{serviceName(state, code, lang)}</span>
              <button type="button" aria-label={`${t('day_step_remove')}: ${serviceName(state, code, lang)}`}
                onClick={() => setSteps(steps.filter((_, j) => j !== i))}>×</button>
            </li>
          ))}
        </ol>
      )}
      {room > 0 && (
        <label>{t('day_step_add')}
          <select name="add_step" value="" onChange={(e) => { const v = e.currentTarget.value; if (v) setSteps([...steps, v]); }}>
            <option value="">—</option>
            {state.services.map((s) => <option value={s.code}>{s.code} — {lang === 'en' ? s.name_en || s.name_vi : s.name_vi}</option>)}
          </select>
        </label>
      )}
    </fieldset>
  );
}

export function FinishDialog({ state, ticket, onClose }: { state: QueueState; ticket: Ticket; onClose: () => void }) {
  const lang = language();
  const rule = serviceOf(state, ticket.service)?.outcome ?? 'none';
  const initial = defaultSteps(state, ticket);
  const [procedure, setProcedure] = useState<Hit | null>(null);
  const [dossier, setDossier] = useState('');
  const [result, setResult] = useState('');
  const [steps, setSteps] = useState<string[]>(initial);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState('');
  useEffect(() => setError(''), [procedure, result]);
  const submit = async () => {
    const body: Record<string, unknown> = {};
    if (rule !== 'none' && (procedure || dossier.trim() || result))
      body.outcome = { procedure: procedure?.code ?? '', dossier: dossier.trim(), result };
    // Only what differs from what the server does by itself (the ticket's own steps).
    if (steps.join(',') !== (ticket.next_steps ?? []).join(',')) body.next_steps = steps;
    setPending(true);
    setError('');
    try {
      await api.post(`/api/tickets/${ticket.id}/finish`, body);
      onClose();
    } catch (e) {
      setPending(false);
      setError(dayError(e));
    }
  };
  const mark = rule === 'required' ? ` (${t('day_required')})` : rule === 'optional' ? ` (${t('day_optional')})` : '';
  return (
    <Dialog name="finish" title={`${fill(t('day_finish_title'), { number: ticket.number })} · ${serviceName(state, ticket.service, lang)}`}
      onClose={onClose} onSubmit={submit}>
      {rule !== 'none' && <>
        <div class="field">
          <span class="label">{t('day_procedure')}{mark}</span>
          <ProcedureSearch picked={procedure} onPick={setProcedure} />
        </div>
        <label>{t('day_dossier')}
          <input name="dossier" maxLength={64} autoComplete="off" value={dossier} onInput={(e) => setDossier(e.currentTarget.value)} />
        </label>
        <label>{t('day_result')}{mark}
          <select name="result" value={result} onChange={(e) => setResult(e.currentTarget.value)}>
            <option value="">{t('day_result_choose')}</option>
            {results.map((r) => <option value={r}>{t(resultKey(r))}</option>)}
          </select>
        </label>
      </>}
      <StepsEditor state={state} ticket={ticket} steps={steps} setSteps={setSteps} />
      <p class="next-preview" data-next-step={steps[0] ?? ''}>
        {steps.length ? fill(t('day_next_step'), { name: serviceName(state, steps[0], lang) }) : t('day_visit_done')}
      </p>
      {error && <p class="error dialog-error" role="alert">{error}</p>}
      <div class="row">
        <button type="submit" class="primary" disabled={pending}>{t('day_finish_send')} <kbd>Enter</kbd></button>
        <button type="button" onClick={onClose}>{t('day_cancel')} <kbd>Esc</kbd></button>
      </div>
    </Dialog>
  );
}
