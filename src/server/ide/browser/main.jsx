// The admin's GraphQL IDE: GraphiQL under a sign-in bar. The page carries its settings (endpoint and the
// preloaded tabs) as JSON in a non-executable script element, so the Content-Security-Policy can forbid
// inline scripts.
import { GraphiQL } from 'graphiql';
import 'graphiql/style.css';
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { createSession } from './session.js';
import './ide.css';

const settings = JSON.parse(document.getElementById('ide-settings').textContent);
const session = createSession(settings.endpoint);
// One fetcher for the page's life: GraphiQL fetches the schema again whenever the fetcher changes.
const fetcher = (params, options) => session.execute(params, options?.headers);

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

  async function submit(event) {
    event.preventDefault();
    setBusy(true);
    setProblem('');
    try {
      await session.signIn(identifier, password);
      setPassword('');
    } catch (error) {
      setProblem(error.message);
    } finally {
      setBusy(false);
    }
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
        <input name="identifier" placeholder="email or phone" autoComplete="username" value={identifier} onChange={(event) => setIdentifier(event.target.value)} required />
        <input name="password" type="password" placeholder="password" autoComplete="current-password" value={password} onChange={(event) => setPassword(event.target.value)} required />
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

function Ide() {
  const state = useSessionState();
  // The token is shown in the headers editor so it is plain what is sent; the fetcher adds the freshest
  // token anyway, so an edited or stale header cannot outlive a refresh.
  const headers = state ? JSON.stringify({ Authorization: `Bearer ${state.accessToken}` }, null, 2) : '';
  return (
    <div className="ide">
      <SignInBar />
      <main className="ide-graphiql">
        <GraphiQL
          fetcher={fetcher}
          defaultTabs={settings.tabs}
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
