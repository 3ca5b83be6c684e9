// Benchmark 4: a login burst. `Me` runs at a fixed rate (half of this server's measured `Me` throughput,
// so that latency measures the server rather than a queue in front of a saturated one), first alone, then
// with logins mixed in at 5 % of all requests (Login rate = Me rate × 5/95) from a second load process;
// every login is a different seeded user from a different client address, at the production bcrypt cost.
import { BENCH_PASSWORD, type SeededData } from './bench.seed.js';
import { graphqlRequest, runLoad, type LoadResult } from './bench.load.js';
import { ME_OPERATION } from './bench.operations.js';
import type { EventLoopDelay, ServerUnderTest } from './bench.servers.js';

export interface LoginBurstResult {
  meRatePerSecond: number;
  loginRatePerSecond: number;
  bcryptCost: number;
  meAlone: LoadResult;
  meAloneEventLoop: EventLoopDelay;
  meDuringBurst: LoadResult;
  logins: LoadResult;
  burstEventLoop: EventLoopDelay;
  /** meDuringBurst p99 / meAlone p99 − 1. */
  meP99Inflation: number;
}

export async function measureLoginBurst(
  server: ServerUnderTest,
  seeded: SeededData,
  customerToken: string,
  options: { meRatePerSecond: number; durationSeconds: number; connections: number; bcryptCost: number },
): Promise<LoginBurstResult> {
  const me = graphqlRequest('Me', ME_OPERATION, {}, customerToken);
  const meSpec = {
    url: server.url,
    connections: options.connections,
    durationSeconds: options.durationSeconds,
    overallRate: options.meRatePerSecond,
    headers: me.headers,
    body: me.body,
  };
  const loginRate = Math.max(1, Math.round((options.meRatePerSecond * 5) / 95));
  await server.resetProbe();
  const meAlone = await runLoad(meSpec);
  const meAloneEventLoop = (await server.probe()).eventLoop;
  await server.resetProbe();
  const [meDuringBurst, logins] = await Promise.all([
    runLoad(meSpec),
    runLoad({
      url: server.url,
      connections: Math.max(2, Math.min(16, loginRate)),
      durationSeconds: options.durationSeconds,
      overallRate: loginRate,
      headers: { 'content-type': 'application/json' },
      body: '{}',
      login: { identifiers: seeded.loginEmails, password: BENCH_PASSWORD },
    }),
  ]);
  const burstEventLoop = (await server.probe()).eventLoop;
  if (meAlone.failures + meDuringBurst.failures > 0) throw new Error('login burst: Me requests failed');
  if (logins.failures > 0) throw new Error(`login burst: ${logins.failures} of ${logins.requests} logins failed`);
  return {
    meRatePerSecond: options.meRatePerSecond,
    loginRatePerSecond: loginRate,
    bcryptCost: options.bcryptCost,
    meAlone,
    meAloneEventLoop,
    meDuringBurst,
    logins,
    burstEventLoop,
    meP99Inflation: Math.round((meDuringBurst.latencyMs.p99 / meAlone.latencyMs.p99 - 1) * 1000) / 1000,
  };
}
