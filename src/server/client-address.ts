// The client address that the per-IP throttle counts (SPEC §2). Behind proxies, each one appends the
// address it received the request from to X-Forwarded-For, so only the right-most entries were written by
// our own proxies; everything to their left came from the client and is ignored. With `trustedProxies`
// proxies in front, the client is that many entries from the right; with none, the socket's peer.
import type { IncomingMessage } from 'node:http';

const MAX_ADDRESS_LENGTH = 64;

export function clientAddressOf(request: IncomingMessage, trustedProxies: number): string {
  const socketAddress = request.socket.remoteAddress ?? 'unknown';
  if (trustedProxies === 0) return socketAddress;
  const header = request.headers['x-forwarded-for'];
  // Repeated headers are one list, in the order they arrived.
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  // Nearest first: the socket's peer (our last proxy), then the entries from the right.
  const hops = [socketAddress, ...forwarded.reverse()];
  // Fewer entries than proxies: the request skipped some of them, and the farthest entry is the best known.
  return hops[Math.min(trustedProxies, hops.length - 1)].slice(0, MAX_ADDRESS_LENGTH);
}
