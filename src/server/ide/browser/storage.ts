// What the IDE keeps in the browser. GraphiQL writes everything it remembers (tabs with their queries,
// variables and headers, the history, the favourites) to the `storage` it is given; by default that is
// localStorage, where a history entry would keep the `Authorization` header for any script of the origin to
// read. Here only the look of the IDE persists (theme, pane sizes); the work of a session (tabs, queries,
// variables, responses, history) lives in memory and ends with the session, and the headers are dropped
// even from that: the fetcher adds the session's token to every request itself.

/** The part of the Web Storage API this uses (localStorage in the browser; the project has no DOM types). */
export interface PreferenceStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  readonly length: number;
  key(index: number): string | null;
}

const NAMESPACE = 'graphiql:';
// GraphiQL 4's keys for the theme and the sizes of its panes (nothing a user typed or received).
const PREFERENCES = new Set(['theme', 'editorFlex', 'docExplorerFlex', 'secondaryEditorFlex']);
// Keys whose JSON values carry a `headers` member per tab or per history entry.
const WITH_HEADERS = new Set(['tabState', 'queries', 'favorites']);

function nameOf(key: string): string {
  return key.startsWith(NAMESPACE) ? key.slice(NAMESPACE.length) : key;
}

function withoutHeaders(value: string): string | null {
  try {
    return JSON.stringify(JSON.parse(value), (member: string, inner: unknown) => (member === 'headers' ? undefined : inner));
  } catch {
    return null;
  }
}

/** The IDE's keys in the store (listed first: removing while walking by index would skip keys). */
function ownKeys(store: PreferenceStore): string[] {
  const keys: string[] = [];
  for (let index = 0; index < store.length; index += 1) {
    const key = store.key(index);
    if (key?.startsWith(NAMESPACE)) keys.push(key);
  }
  return keys;
}

/**
 * A GraphiQL `storage`: preferences in `preferences` (localStorage), the rest in memory until
 * `forgetSession()`. The object stays the same for the page's life because GraphiQL keeps one
 * StorageAPI per storage object across remounts; forgetting swaps the memory behind it.
 */
export function createIdeStorage(preferences: PreferenceStore) {
  let session = new Map<string, string>();

  // Whatever earlier versions of the IDE left in localStorage (tabs and history with tokens) goes now.
  for (const key of ownKeys(preferences)) {
    if (!PREFERENCES.has(nameOf(key))) preferences.removeItem(key);
  }

  const isPreference = (key: string) => PREFERENCES.has(nameOf(key));

  return {
    getItem(key: string): string | null {
      return isPreference(key) ? preferences.getItem(key) : (session.get(key) ?? null);
    },
    setItem(key: string, value: string): void {
      const name = nameOf(key);
      if (isPreference(key)) {
        preferences.setItem(key, value);
      } else if (name === 'headers') {
        // The headers editor's text is never kept.
      } else if (WITH_HEADERS.has(name)) {
        const cleaned = withoutHeaders(value);
        if (cleaned === null) session.delete(key);
        else session.set(key, cleaned);
      } else {
        session.set(key, String(value));
      }
    },
    removeItem(key: string): void {
      if (isPreference(key)) preferences.removeItem(key);
      else session.delete(key);
    },
    // GraphiQL's "Clear storage" setting: the preferences go too.
    clear() {
      session = new Map();
      for (const key of ownKeys(preferences)) preferences.removeItem(key);
    },
    get length() {
      return session.size + ownKeys(preferences).length;
    },
    /** Drops the session's tabs, history and favourites; preferences stay. */
    forgetSession() {
      session = new Map();
    },
  };
}
