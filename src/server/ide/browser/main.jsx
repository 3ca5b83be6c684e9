// The admin's GraphQL IDE: GraphiQL under a sign-in bar, with the activation funnel panel as a plugin. The
// page carries its settings (endpoint and the preloaded tabs) as JSON in a non-executable script element,
// so the Content-Security-Policy can forbid inline scripts.
import { GraphiQL } from 'graphiql';
import 'graphiql/style.css';
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { createLatestDashboard } from './dashboard.answer.js';
import { createFunnelPlugin } from './funnel.panel.jsx';
import { ChallengeForm, EnrolmentPanel } from './second-factor.panel.jsx';
import { createSession } from './session.js';
import { createIdeStorage } from './storage.js';
import './ide.css';

const settings = JSON.parse(document.getElementById('ide-settings').textContent);
const session = createSession(settings.endpoint);
// Only preferences reach localStorage; tabs and history stay in memory (see storage.ts).
const storage = createIdeStorage(window.localStorage);
const latestDashboard = createLatestDashboard();
const plugins = [createFunnelPlugin(latestDashboard)];
// One fetcher for the page's life: GraphiQL fetches the schema again whenever the fetcher changes.
async function fetcher(params, options) {
  const body = await session.execute(params, options?.headers);
  latestDashboard.offer(params.variables, body);
  return body;
}

function useSessionState() {
  const [state, setState] = useState(session.current());
  useEffect(() => session.subscribe(setState), []);
  return state;
}

function SignInBar() {
  const state = useSessionState();
  const [identifier, setIdentifier] = useState('');
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  // The second-factor challenge a correct staff password answered: { challenge, methods }.
  const [pending, setPending] = useState(null);
  useEffect(() => {
    if (state) setPending(null);
  }, [state]);

  async function submit(event) {
    event.preventDefault();
    setBusy(true);
    setProblem('');
    try {
      setPending(await session.signIn(identifier, password));
      setPassword('');
    } catch (error) {
      setProblem(error.message);
    } finally {
      setBusy(false);
    }
  }

  if (state?.pending === 'ENROL') {
    return (
      <header className="ide-bar">
        <strong className="ide-title">Dairy BFF · GraphQL IDE</strong>
        <EnrolmentPanel session={session} user={state.user} />
        <button type="button" onClick={() => void session.signOut()}>
          Sign out
        </button>
      </header>
    );
  }
  if (!state && pending) {
    return (
      <header className="ide-bar">
        <strong className="ide-title">Dairy BFF · GraphQL IDE</strong>
        <ChallengeForm
          session={session}
          challenge={pending.challenge}
          methods={pending.methods}
          onEnded={(message) => {
            setPending(null);
            setProblem(message);
          }}
        />
        <button type="button" onClick={() => setPending(null)}>
          Cancel
        </button>
      </header>
    );
  }
  if (state) {
    return (
      <header className="ide-bar">
        <strong className="ide-title">Dairy BFF · GraphQL IDE</strong>
        <span className="ide-user" data-testid="signed-in-as">
          Signed in as {state.user.name} ({state.user.roles.join(', ')})
        </span>
        <button type="button" onClick={() => void session.signOut()}>
          Sign out
        </button>
      </header>
    );
  }
  return (
    <header className="ide-bar">
      <strong className="ide-title">Dairy BFF · GraphQL IDE</strong>
      <form className="ide-sign-in" onSubmit={submit} aria-label="Sign in">
        <input
          name="identifier"
          placeholder="email or phone"
          autoComplete="username"
          value={identifier}
          onChange={(event) => setIdentifier(event.target.value)}
          required
        />
        <input
          name="password"
          type="password"
          placeholder="password"
          autoComplete="current-password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          required
        />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
        {problem ? (
          <span className="ide-problem" role="alert">
            {problem}
          </span>
        ) : null}
      </form>
      <span className="ide-hint">Signed out: only public operations will work.</span>
    </header>
  );
}

/**
 * Counts the sessions that ended (sign-out, or a refresh the server refused). Each end forgets that
 * session's tabs, history and dashboard, and GraphiQL is mounted afresh with the default tabs, so the next
 * person to sign in sees nothing of the last one.
 */
function useEndedSessions() {
  const [ended, setEnded] = useState(0);
  useEffect(() => {
    let signedIn = session.current() !== null;
    return session.subscribe((state) => {
      if (signedIn && !state) {
        // Before the new GraphiQL mounts: it reads its tabs and history from the storage at mount.
        storage.forgetSession();
        latestDashboard.forget();
        setEnded((count) => count + 1);
      }
      signedIn = state !== null;
    });
  }, []);
  return ended;
}

function Ide() {
  const state = useSessionState();
  const endedSessions = useEndedSessions();
  // The token is shown in the headers editor so it is plain what is sent; the fetcher adds the freshest
  // token anyway, so an edited or stale header cannot outlive a refresh.
  const headers = state ? JSON.stringify({ Authorization: `Bearer ${state.accessToken}` }, null, 2) : '';
  return (
    <div className="ide">
      <SignInBar />
      <main className="ide-graphiql">
        <GraphiQL
          key={endedSessions}
          fetcher={fetcher}
          storage={storage}
          plugins={plugins}
          defaultTabs={settings.tabs}
          // GraphiQL 4 fills the first tab's query from defaultTabs but not its variables.
          variables={settings.tabs[0]?.variables}
          headers={headers}
          shouldPersistHeaders={false}
          defaultEditorToolsVisibility="variables"
        />
      </main>
    </div>
  );
}

createRoot(document.getElementById('root')).render(
  <StrictMode>
    <Ide />
  </StrictMode>,
);
