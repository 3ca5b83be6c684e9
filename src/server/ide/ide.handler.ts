// Serves the admin's GraphQL IDE (SPEC §8): `GET /graphql` from a browser (Accept: text/html) answers the
// page, `/graphql/ide/ide.{js,css}` the bundle scripts/ide-build.mjs made from npm packages, so the IDE
// works offline. Only when `GRAPHQL_IDE` is on (default outside production). Everything else on /graphql
// stays Apollo's.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Config } from '../../config/env.js';
import type { Clock } from '../../shared/clock.js';
import { PROJECT_ROOT } from '../../shared/project-root.js';
import { ideTabs } from './default-tabs.js';

const IDE_ASSET_DIRECTORY = path.join(PROJECT_ROOT, 'dist', 'ide');
const ASSET_PATHS: Record<string, { file: string; type: string }> = {
  '/graphql/ide/ide.js': { file: 'ide.js', type: 'text/javascript; charset=utf-8' },
  '/graphql/ide/ide.css': { file: 'ide.css', type: 'text/css; charset=utf-8' },
};

// Inline styles stay allowed because GraphiQL's editors set style attributes; scripts come only from here.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

interface Asset {
  readonly body: Buffer;
  readonly gzipped: Buffer;
  readonly etag: string;
  readonly type: string;
}

const assets = new Map<string, Promise<Asset | null>>();

function loadAsset(file: string, type: string): Promise<Asset | null> {
  let loading = assets.get(file);
  if (!loading) {
    loading = readFile(path.join(IDE_ASSET_DIRECTORY, file)).then(
      (body) => ({ body, gzipped: gzipSync(body), etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`, type }),
      () => null,
    );
    // A missing bundle is looked for again next time (e.g. after `npm run build` in another terminal).
    void loading.then((asset) => asset ?? assets.delete(file));
    assets.set(file, loading);
  }
  return loading;
}

function acceptsHtml(request: IncomingMessage): boolean {
  return /\btext\/html\b/.test(request.headers.accept ?? '');
}

/** Is this request one for the IDE (the page or its assets) rather than a GraphQL operation? */
export function isIdeRequest(config: Config, request: IncomingMessage, url: URL): boolean {
  if (!config.GRAPHQL_IDE || (request.method !== 'GET' && request.method !== 'HEAD')) return false;
  if (url.pathname in ASSET_PATHS) return true;
  return url.pathname === '/graphql' && !url.searchParams.has('query') && acceptsHtml(request);
}

// Rendered per request: the dashboard tab's example dates follow the clock.
function renderPage(now: Date): string {
  const settings = JSON.stringify({ endpoint: '/graphql', tabs: ideTabs(now) }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Dairy BFF · GraphQL IDE</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/graphql/ide/ide.css">
</head>
<body>
<div id="root"></div>
<script type="application/json" id="ide-settings">${settings}</script>
<script src="/graphql/ide/ide.js"></script>
</body>
</html>
`;
}

export async function serveIde(request: IncomingMessage, response: ServerResponse, url: URL, clock: Clock): Promise<void> {
  const named = ASSET_PATHS[url.pathname];
  if (named) {
    const asset = await loadAsset(named.file, named.type);
    if (!asset) {
      response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('The GraphQL IDE is not built: run `npm run build`.\n');
      return;
    }
    if (request.headers['if-none-match'] === asset.etag) {
      response.writeHead(304, { etag: asset.etag });
      response.end();
      return;
    }
    const gzip = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
    const body = gzip ? asset.gzipped : asset.body;
    response.writeHead(200, {
      'content-type': asset.type,
      'content-length': body.length,
      etag: asset.etag,
      'cache-control': 'no-cache',
      vary: 'accept-encoding',
      'x-content-type-options': 'nosniff',
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    });
    response.end(request.method === 'HEAD' ? undefined : body);
    return;
  }
  const page = Buffer.from(renderPage(clock.now()));
  response.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': page.length,
    'cache-control': 'no-cache',
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    vary: 'accept',
  });
  response.end(request.method === 'HEAD' ? undefined : page);
}
