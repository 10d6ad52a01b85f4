// ui: what every page shares — the sign-in gate, the top bar with the link
// state and the language switch, hooks for the live queue and a ticking clock,
// and the error line.
import { useEffect, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { api, ApiError, login, logout, onExpired, token, type Me } from './api';
import { Live, type LinkState } from './live';
import { language, onLanguage, setLanguage, t } from './i18n';

export function useLanguage() {
  const [, set] = useState(0);
  useEffect(() => onLanguage(() => set((n) => n + 1)), []);
  return language();
}

// Re-renders every `ms`: waiting and serving times tick on screen.
export function useNow(ms = 1000) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}

// The live queue, started once per page; re-renders on every applied event.
export function useLive(live: Live) {
  const [, set] = useState(0);
  useEffect(() => {
    const off = live.subscribe(() => set((n) => n + 1));
    live.start();
    return () => {
      off();
      live.stop();
    };
  }, [live]);
  return live;
}

export function errorText(e: unknown): string {
  if (e instanceof ApiError) return e.code === 'offline' ? t('offline_login') : e.message;
  return String(e);
}

function LoginForm({ notice, onDone }: { notice: string; onDone: (me: Me) => void }) {
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState(notice);
  const [busy, setBusy] = useState(false);
  const submit = async (ev: Event) => {
    ev.preventDefault();
    setBusy(true);
    try {
      onDone(await login(user.trim(), password));
    } catch (e) {
      const code = e instanceof ApiError ? e.code : '';
      setError(code === 'bad_login' ? t('bad_login') : code === 'locked' ? t('locked') : errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="login" onSubmit={submit}>
      <h1>{t('login_title')}</h1>
      {error && <p class="error" role="alert">{error}</p>}
      <label>{t('user')}<input name="user" autocomplete="username" value={user} onInput={(e) => setUser(e.currentTarget.value)} autofocus /></label>
      <label>{t('password')}<input name="password" type="password" autocomplete="current-password" value={password}
        onInput={(e) => setPassword(e.currentTarget.value)} /></label>
      <button type="submit" class="primary" disabled={busy || !user || !password}>{t('sign_in')}</button>
      <LanguageSwitch />
    </form>
  );
}

// Shows the sign-in form until a token of one of `roles` is held; after an
// expired or revoked session it comes back with a message, without a reload.
export function Session({ roles, deniedText, children }: { roles: string[]; deniedText: string; children: (me: Me) => ComponentChildren }) {
  useLanguage();
  const [me, setMe] = useState<Me | null>(null);
  const [checking, setChecking] = useState(!!token());
  const [notice, setNotice] = useState('');
  useEffect(() => onExpired(() => { setMe(null); setNotice(t('expired')); }), []);
  useEffect(() => {
    if (!token()) return;
    api.get('/api/me').then((m) => setMe(m)).catch(() => {}).finally(() => setChecking(false));
  }, []);
  if (checking) return <p class="loading">{t('loading')}</p>;
  if (!me) return <LoginForm notice={notice} onDone={(m) => { setNotice(''); setMe(m); }} />;
  if (!roles.includes(me.role))
    return (
      <div class="login">
        <p class="error" role="alert">{deniedText}</p>
        <button onClick={() => logout().finally(() => setMe(null))}>{t('sign_out')}</button>
      </div>
    );
  return <>{children(me)}</>;
}

export function LanguageSwitch() {
  const lang = useLanguage();
  return (
    <span class="lang">
      <button type="button" class={lang === 'vi' ? 'on' : ''} onClick={() => setLanguage('vi')}>VI</button>
      <button type="button" class={lang === 'en' ? 'on' : ''} onClick={() => setLanguage('en')}>EN</button>
    </span>
  );
}

export function LinkDot({ link }: { link: LinkState }) {
  return <span class={`link ${link}`} data-link={link}>{t(link)}</span>;
}

// `beforeSignOut`: what the page does before the session ends (the console signs
// its staff out of the counter); a rejection keeps the session.
export function TopBar({ title, me, link, children, beforeSignOut }: { title: string; me: Me; link?: LinkState; children?: ComponentChildren;
                                                                       beforeSignOut?: () => Promise<unknown> }) {
  return (
    <header class="top">
      <strong>{title}</strong>
      {children}
      <span class="grow" />
      {link && <LinkDot link={link} />}
      <LanguageSwitch />
      <span class="who">{me.name}</span>
      <button type="button" data-action="logout" onClick={() => (beforeSignOut ?? (async () => {}))().then(() => logout().finally(() => location.reload()), () => {})}>
        {t('sign_out')}
      </button>
    </header>
  );
}

export function ErrorLine({ error, onClose }: { error: string; onClose: () => void }) {
  if (!error) return null;
  return (
    <div class="toast" role="alert" onClick={onClose}>
      {error}
    </div>
  );
}
