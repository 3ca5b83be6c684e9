// A bounded load generator in a process of its own, for the rolling-deploy test: logins, `me` on another
// instance than the one that signed in, placeOrder with idempotency keys, failed logins that lock one
// account, and password-reset requests from one address until the throttle answers. 127.0.0.1 only.
//
//   node --import tsx test/support/rolling-load.ts '<plan as JSON>'
//
// It reads the instances to send to from stdin, one line each time they change (`targets <url> [<url>]`),
// and `stop` to finish; then it prints one JSON summary line. A request that meets a refused or reset
// connection, or HTTP 503 SERVICE_UNAVAILABLE, is sent again to another instance, the same body and the
// same idempotency key; anything else unexpected is a failure.
import { createInterface } from 'node:readline';

interface Plan {
  accounts: { email: string; password: string }[];
  victim: string;
  productId: string;
  deliveryDate: string;
  maxRequests: number;
  maxMs: number;
  lockoutAttempts: number;
  throttleAttempts: number;
}

type Answer = { data?: any; errors?: { message: string; extensions?: { code?: string } }[] };

const plan = JSON.parse(process.argv[2] ?? '{}') as Plan;
let targets: string[] = [];
let stopping = false;
const started = Date.now();

const summary = {
  requests: 0,
  retries: 0,
  retryReasons: {} as Record<string, number>,
  /** Tries answered 503 per operation: the server may have counted them (a failed login) before it refused. */
  unavailableByOperation: {} as Record<string, number>,
  failures: [] as { operation: string; reason: string }[],
  byTarget: {} as Record<string, number>,
  logins: 0,
  meAnswered: 0,
  meOnOtherInstance: 0,
  orders: {} as Record<string, string>,
  lockout: [] as string[],
  throttle: [] as string[],
  durationMs: 0,
};

const LOGIN = `mutation Login($identifier: String!, $password: String!) { login(identifier: $identifier, password: $password) { accessToken user { id } } }`;
const ME = `query { me { id email } }`;
const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id status } }`;
const REQUEST_RESET = `mutation RequestPasswordReset($identifier: String!) { requestPasswordReset(identifier: $identifier) }`;

let addressCounter = 0;
const freshAddress = () => {
  addressCounter += 1;
  return `10.77.${(addressCounter >> 8) & 255}.${addressCounter & 255}`;
};
let sequence = 0;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const exhausted = () => stopping || summary.requests >= plan.maxRequests || Date.now() - started >= plan.maxMs;

/** Why a try may be repeated on another instance, or null when its answer stands. */
function retryReason(error: unknown): string | null {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? (error as { code?: string }).code;
  if (code && ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED'].includes(code)) return code;
  return null;
}

/** One request, tried on `preferred` first and then on the other instances; null once it failed for good. */
async function send(
  operation: string,
  preferred: number,
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string>,
): Promise<{ answer: Answer; target: string } | null> {
  let lastReason = 'no instance to send to';
  for (let attempt = 0; attempt < 8; attempt += 1) {
    const current = targets;
    if (current.length === 0) break;
    const target = current[(preferred + attempt) % current.length];
    summary.requests += 1;
    try {
      const response = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(15_000),
      });
      const answer = (await response.json()) as Answer;
      summary.byTarget[target] = (summary.byTarget[target] ?? 0) + 1;
      if (response.status === 503 && answer.errors?.[0]?.extensions?.code === 'SERVICE_UNAVAILABLE') {
        lastReason = 'HTTP 503 SERVICE_UNAVAILABLE';
        summary.unavailableByOperation[operation] = (summary.unavailableByOperation[operation] ?? 0) + 1;
      } else {
        return { answer, target };
      }
    } catch (error) {
      const reason = retryReason(error);
      if (reason === null) {
        summary.failures.push({ operation, reason: String((error as Error).message ?? error) });
        return null;
      }
      lastReason = reason;
    }
    summary.retries += 1;
    summary.retryReasons[lastReason] = (summary.retryReasons[lastReason] ?? 0) + 1;
    await sleep(50 * (attempt + 1));
  }
  summary.failures.push({ operation, reason: `gave up: ${lastReason}` });
  return null;
}

const codeOf = (answer: Answer) => answer.errors?.[0]?.extensions?.code ?? 'OK';

function expectOk(operation: string, result: { answer: Answer } | null): Answer | null {
  if (result === null) return null;
  if (result.answer.errors) {
    summary.failures.push({ operation, reason: `${codeOf(result.answer)}: ${result.answer.errors[0].message}` });
    return null;
  }
  return result.answer;
}

/** Sign in on one instance, read `me` on the next, order with a fresh key on the one after. */
async function customerWorker(index: number): Promise<void> {
  const account = plan.accounts[index];
  let turn = index;
  while (!exhausted()) {
    turn += 1;
    const login = await send('login', turn, LOGIN, { identifier: account.email, password: account.password }, { 'x-forwarded-for': freshAddress() });
    const signedIn = expectOk('login', login);
    if (!signedIn || !login) continue;
    summary.logins += 1;
    const token = signedIn.data.login.accessToken as string;
    const auth = { authorization: `Bearer ${token}`, 'x-forwarded-for': freshAddress() };
    const me = await send('me', turn + 1, ME, {}, auth);
    if (expectOk('me', me)) {
      summary.meAnswered += 1;
      if (me!.target !== login.target) summary.meOnOtherInstance += 1;
    }
    sequence += 1;
    const key = `rolling-${index}-${sequence}-${started}`;
    const placed = expectOk(
      'placeOrder',
      await send(
        'placeOrder',
        turn + 2,
        PLACE,
        { input: { items: [{ productId: plan.productId, quantity: 1 }], deliveryDate: plan.deliveryDate } },
        { ...auth, 'idempotency-key': key },
      ),
    );
    if (placed) summary.orders[key] = placed.data.placeOrder.id as string;
  }
}

/** Wrong passwords for one account, one after another over both instances, paced over the whole run. */
async function lockoutWorker(): Promise<void> {
  for (let attempt = 0; attempt < plan.lockoutAttempts; attempt += 1) {
    const result = await send(
      'lockout',
      attempt,
      LOGIN,
      { identifier: plan.victim, password: `wrong guess ${attempt}` },
      { 'x-forwarded-for': freshAddress() },
    );
    if (result) summary.lockout.push(codeOf(result.answer));
    await sleep(Math.floor(plan.maxMs / 4 / plan.lockoutAttempts));
  }
}

/** Password-reset requests from one client address, over both instances, until and past the throttle. */
async function throttleWorker(): Promise<void> {
  for (let attempt = 0; attempt < plan.throttleAttempts; attempt += 1) {
    const result = await send(
      'throttle',
      attempt,
      REQUEST_RESET,
      { identifier: `nobody.${attempt}.${started}@example.in` },
      { 'x-forwarded-for': '10.99.99.99' },
    );
    if (result) summary.throttle.push(codeOf(result.answer));
    await sleep(Math.floor(plan.maxMs / 4 / plan.throttleAttempts));
  }
}

const lines = createInterface({ input: process.stdin });
let haveTargets: () => void;
const firstTargets = new Promise<void>((resolve) => (haveTargets = resolve));
lines.on('line', (line) => {
  const [command, ...urls] = line.trim().split(/\s+/);
  if (command === 'targets') {
    targets = urls.filter((url) => /^http:\/\/127\.0\.0\.1:\d+\//.test(url));
    haveTargets();
  } else if (command === 'stop') {
    stopping = true;
  }
});

await firstTargets;
await Promise.all([...plan.accounts.map((_, index) => customerWorker(index)), lockoutWorker(), throttleWorker()]);
summary.durationMs = Date.now() - started;
process.stdout.write(`${JSON.stringify(summary)}\n`);
lines.close();
process.exit(0);
