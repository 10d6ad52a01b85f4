// main: the citizen's phone app — one small page for /t/{key} (a followed
// ticket), /b/{key} (a booking) and /m/… (home, booking, procedure, dossier, hall queue), routed in the
// browser so moving between them costs no reload. After a move the page's
// heading takes the focus (ui.focusHeading).
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { BookPage } from './book';
import { BookedPage } from './booked';
import { DossierPage } from './dossier';
import { Home } from './home';
import { ProcedurePage } from './procedure';
import { TicketPage } from './ticket';
import { catchLinks, focusHeading, onRoute } from './ui';
import { WaitingPage } from './waiting';
import './phone.css';

function route(path: string) {
  let m = path.match(/^\/t\/([^/]+)\/?$/);
  if (m) return <TicketPage key={m[1]} ticketKey={decodeURIComponent(m[1])} />;
  m = path.match(/^\/b\/([^/]+)\/?$/);
  if (m) return <BookedPage key={m[1]} bookingKey={decodeURIComponent(m[1])} />;
  if (/^\/m\/b\/?$/.test(path)) return <BookPage />;
  m = path.match(/^\/m\/p\/([^/]+)\/?$/);
  if (m) return <ProcedurePage code={decodeURIComponent(m[1])} />;
  if (/^\/m\/d\/?$/.test(path)) return <DossierPage />;
  if (/^\/m\/q\/?$/.test(path)) return <WaitingPage />;
  return <Home />;
}

function App() {
  const [path, setPath] = useState(location.pathname);
  const first = useRef(true);
  useEffect(() => onRoute(() => setPath(location.pathname + location.search)), []);
  useEffect(() => {
    if (first.current) { first.current = false; return; }
    window.scrollTo(0, 0);
    (document.activeElement as HTMLElement | null)?.blur?.();
    focusHeading();
  }, [path]);
  return route(path.split('?')[0]);
}

catchLinks();
render(<App />, document.getElementById('app')!);
