import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { currentSession, errorText, loadSession, onSession, signOut, type Session } from './api';
import './styles.css';
import { startStream, stopStream, subscribe, type StreamState } from './stream';
import { CatalogPage } from './pages/Catalog';
import { DeadLettersPage } from './pages/DeadLetters';
import { DeliveriesPage, DeliveryDetailPage } from './pages/Deliveries';
import { EndpointsPage } from './pages/Endpoints';
import { HealthPage } from './pages/Health';
import { KeysPage } from './pages/Keys';
import { OverviewPage } from './pages/Overview';
import { SecurityPage } from './pages/Security';
import { SignInPage } from './pages/SignIn';
import { SimulatorPage } from './pages/Simulator';

const NAV: [string, string][] = [
  ['overview', 'Overview'],
  ['endpoints', 'Endpoints'],
  ['deliveries', 'Recent Deliveries'],
  ['dead-letters', 'Dead Letters'],
  ['catalog', 'Event Catalog'],
  ['simulator', 'Test & Simulator'],
  ['security', 'Security & Verification'],
  ['health', 'Delivery Health'],
  ['keys', 'API keys & OAuth'],
];

function parseHash(): { page: string; rest: string; query: URLSearchParams } {
  const h = location.hash.replace(/^#\/?/, '');
  const [path, q] = h.split('?');
  const [page, ...rest] = path.split('/');
  return { page: page || 'endpoints', rest: rest.join('/'), query: new URLSearchParams(q ?? '') };
}

function useRoute() {
  const [route, setRoute] = useState(parseHash());
  useEffect(() => {
    const on = () => setRoute(parseHash());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

function LiveIndicator() {
  const [s, setS] = useState<StreamState>('off');
  useEffect(() => subscribe({ state: setS }), []);
  const text = s === 'live' ? 'Live' : s === 'polling' ? 'Polling' : s === 'connecting' ? 'Connecting' : 'Offline';
  return (
    <span class={`live live-${s}`} role="status" title="Live updates">
      {text}
    </span>
  );
}

function Shell({ session }: { session: Session }) {
  const route = useRoute();
  const [menuOpen, setMenuOpen] = useState(false);
  const [err, setErr] = useState('');
  useEffect(() => {
    setMenuOpen(false);
    document.title = `${NAV.find(([k]) => k === route.page)?.[1] ?? 'Console'} · CloudNexus Console`;
  }, [route.page, route.rest]);
  let page;
  switch (route.page) {
    case 'overview':
      page = <OverviewPage />;
      break;
    case 'deliveries':
      page = route.rest ? <DeliveryDetailPage id={route.rest} /> : <DeliveriesPage query={route.query} key={route.query.toString()} />;
      break;
    case 'dead-letters':
      page = <DeadLettersPage query={route.query} />;
      break;
    case 'catalog':
      page = <CatalogPage />;
      break;
    case 'simulator':
      page = <SimulatorPage query={route.query} />;
      break;
    case 'security':
      page = <SecurityPage />;
      break;
    case 'health':
      page = <HealthPage query={route.query} />;
      break;
    case 'keys':
      page = <KeysPage />;
      break;
    case 'endpoints':
      page = <EndpointsPage />;
      break;
    default:
      page = (
        <div>
          <h1>Not found</h1>
          <p>
            <a href="#/endpoints">Go to the endpoints</a>
          </p>
        </div>
      );
  }
  return (
    <div class="shell">
      <a class="skip" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
        Skip to content
      </a>
      <header class="topbar">
        <button type="button" class="btn menu-toggle" aria-expanded={menuOpen} aria-controls="nav" onClick={() => setMenuOpen(!menuOpen)}>
          Menu
        </button>
        <span class="brand">CloudNexus</span>
        <LiveIndicator />
        <span class="account" title={`key ${session.key_prefix}…, scopes ${session.scopes.join(' ')}`}>
          {session.account_id} · {session.tier}
        </span>
        <button
          type="button"
          class="btn btn-small"
          onClick={async () => {
            try {
              await signOut();
            } catch (e) {
              setErr(errorText(e));
            }
          }}
        >
          Sign out
        </button>
      </header>
      {err ? (
        <p class="error" role="alert">
          {err}
        </p>
      ) : null}
      <nav id="nav" class={`nav ${menuOpen ? 'nav-open' : ''}`} aria-label="Console">
        <ul>
          {NAV.map(([k, label]) => (
            <li key={k}>
              <a href={`#/${k}`} aria-current={route.page === k ? 'page' : undefined}>
                {label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1} class="main">
        {page}
      </main>
    </div>
  );
}

function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [bootError, setBootError] = useState('');
  useEffect(() => {
    const off = onSession((s) => setSession(s));
    loadSession().catch((e) => {
      setBootError(errorText(e));
      setSession(null);
    });
    return () => {
      off();
    };
  }, []);
  useEffect(() => {
    if (session) startStream();
    else stopStream();
  }, [session?.csrf_token]);
  if (session === undefined) {
    return (
      <p class="loading" role="status">
        Loading the console…
      </p>
    );
  }
  if (!session || !currentSession()) {
    return (
      <>
        {bootError ? (
          <p class="error" role="alert">
            {bootError}
          </p>
        ) : null}
        <SignInPage />
      </>
    );
  }
  return <Shell session={session} />;
}

render(<App />, document.getElementById('app')!);
