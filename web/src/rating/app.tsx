// rating: the small tablet facing the citizen at a counter. After the staff
// press "finish", it asks how the service was (three big faces and optional
// reasons), sends one rating for that ticket, thanks, and goes back to idle —
// also by itself after 45 seconds, so the next person never sees a question
// about someone else's visit.
import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, setToken, token, type Me } from '../lib/api';
import { Live } from '../lib/live';
import { t } from '../lib/i18n';
import { errorText, LanguageSwitch, useLanguage, useLive } from '../lib/ui';
import '../lib/style.css';

const ASK_MS = 45_000, THANKS_MS = 4_000;

type Ask = { ticket: number; number: string; at: number };

function Tablet({ me }: { me: Me }) {
  useLanguage();
  const live = useLive(useMemo(() => new Live(), []));
  const [opened] = useState(Date.now());
  const [asked, setAsked] = useState<Ask | null>(null);
  const [done, setDone] = useState<Set<number>>(new Set());
  const [reasons, setReasons] = useState<string[]>([]);
  const [thanks, setThanks] = useState(false);
  const [error, setError] = useState('');
  const finished = live.state?.finished.filter((f) => f.counter === me.counter && !done.has(f.ticket) && f.at >= opened - 60_000) ?? [];
  const latest = finished[finished.length - 1];
  useEffect(() => {
    if (latest && latest.ticket !== asked?.ticket) {
      setAsked({ ticket: latest.ticket, number: latest.number, at: Date.now() });
      setReasons([]);
      setThanks(false);
      setError('');
    }
  }, [latest?.ticket]);
  useEffect(() => {
    if (!asked) return;
    const id = setTimeout(() => { setDone((d) => new Set(d).add(asked.ticket)); setAsked(null); }, ASK_MS);
    return () => clearTimeout(id);
  }, [asked]);
  useEffect(() => {
    if (!thanks) return;
    const id = setTimeout(() => setThanks(false), THANKS_MS);
    return () => clearTimeout(id);
  }, [thanks]);

  const rate = async (rating: 'good' | 'neutral' | 'bad') => {
    if (!asked) return;
    try {
      await api.post(`/api/tickets/${asked.ticket}/rating`, { rating, reason: reasons.join('; ') });
      setThanks(true);
    } catch (e) {
      setError(errorText(e));
    }
    setDone((d) => new Set(d).add(asked.ticket));
    setAsked(null);
  };
  const toggle = (r: string) => setReasons((list) => (list.includes(r) ? list.filter((x) => x !== r) : [...list, r]));

  return (
    <div class="tablet" data-mode={asked ? 'ask' : thanks ? 'thanks' : 'idle'}>
      <header><span>{live.state?.center.name}</span><span class="grow" /><LanguageSwitch /></header>
      {asked ? (
        <main>
          <p class="ticket">{asked.number}</p>
          <h1>{t('rate_question')}</h1>
          <div class="faces">
            <button type="button" data-rating="good" class="face good" onClick={() => rate('good')}>😊<span>{t('rate_good')}</span></button>
            <button type="button" data-rating="neutral" class="face neutral" onClick={() => rate('neutral')}>😐<span>{t('rate_neutral')}</span></button>
            <button type="button" data-rating="bad" class="face bad" onClick={() => rate('bad')}>☹️<span>{t('rate_bad')}</span></button>
          </div>
          <p class="muted">{t('rate_reason')}</p>
          <div class="reasons">{t('reasons').split('|').map((r) => (
            <button type="button" class={reasons.includes(r) ? 'on' : ''} onClick={() => toggle(r)}>{r}</button>
          ))}</div>
        </main>
      ) : (
        <main class="idle"><h1>{thanks ? t('rate_thanks') : t('rate_idle')}</h1>{error && <p class="error">{error}</p>}</main>
      )}
    </div>
  );
}

function Setup() {
  useLanguage();
  const [value, setValue] = useState('');
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    const fromLink = new URLSearchParams(location.search).get('token');
    if (fromLink) {
      setToken(fromLink);
      history.replaceState(null, '', location.pathname);  // the token leaves the address bar
    }
    if (token()) api.get('/api/me').then((m) => (m.role === 'rating' ? setMe(m) : setError(t('rate_setup')))).catch((e) => setError(errorText(e)));
  }, []);
  if (me) return <Tablet me={me} />;
  return (
    <form class="login" onSubmit={(e) => { e.preventDefault(); setToken(value.trim()); location.reload(); }}>
      <h1>{t('rating_tablet')}</h1>
      {error && <p class="error">{error}</p>}
      <label>{t('rate_setup')}<input name="token" value={value} onInput={(e) => setValue(e.currentTarget.value)} /></label>
      <button type="submit" class="primary" disabled={!value}>{t('save')}</button>
    </form>
  );
}

render(<Setup />, document.getElementById('app')!);
