// ui: what every phone page shares — client-side navigation (links inside
// /m/, /t/ and /b/ change the page without reloading it), the top bar with the
// way home and the language switch, and small hooks.
import { useEffect, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { language, onLanguage, setLanguage, t } from './i18n';

const routeListeners = new Set<() => void>();

let moved = false;  // the first page was loaded, not moved to: it keeps the browser's focus

// After a move the page's heading takes the focus (a screen reader starts
// reading the new page); a page whose heading comes with its data calls it again then.
export function focusHeading() {
  if (!moved) return;
  const active = document.activeElement;
  if (!active || active === document.body || !active.isConnected) document.querySelector<HTMLElement>('main h1')?.focus();
}

export function navigate(path: string, replace = false) {
  moved = true;
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  routeListeners.forEach((f) => f());
}

export function onRoute(f: () => void): () => void {
  routeListeners.add(f);
  const back = () => { moved = true; f(); };
  window.addEventListener('popstate', back);
  return () => {
    routeListeners.delete(f);
    window.removeEventListener('popstate', back);
  };
}

// A plain left tap on a link of the app stays in the app; anything else
// (new tab, another site) is the browser's.
export function catchLinks() {
  document.addEventListener('click', (e) => {
    const a = (e.target as Element).closest?.('a');
    if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const url = new URL(a.href, location.href);
    if (a.target || url.origin !== location.origin || !/^\/(m|t|b)(\/|$)/.test(url.pathname)) return;
    e.preventDefault();
    navigate(url.pathname + url.search);
  });
}

export function useLanguage() {
  const [, set] = useState(0);
  useEffect(() => onLanguage(() => set((n) => n + 1)), []);
  return language();
}

export function Top() {
  const lang = useLanguage();
  return (
    <header class="top">
      <a href="/m/" class="brand">{t('app')}</a>
      <button type="button" class="lang" lang={lang === 'vi' ? 'en' : 'vi'} aria-label={t('switch_label')}
              onClick={() => setLanguage(lang === 'vi' ? 'en' : 'vi')}>{t('switch_to')}</button>
    </header>
  );
}

export function Page({ children, class: cls = '' }: { children: ComponentChildren; class?: string }) {
  return (
    <>
      <Top />
      <main id="main" class={cls}>{children}</main>
    </>
  );
}

// The value once it has stayed the same for `ms`: one search per pause in typing, not per key.
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return settled;
}
