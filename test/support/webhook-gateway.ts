// A local stand-in for the webhook gateway (MESSAGE_CHANNEL=webhook): answers each message with the next
// queued status code (200 once none is queued) and records every request, headers and body.
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export class WebhookGateway {
  readonly requests: { headers: IncomingHttpHeaders; body: any }[] = [];
  readonly answers: number[] = [];
  private server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      this.requests.push({ headers: request.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      response.statusCode = this.answers.shift() ?? 200;
      response.end('{}');
    });
  });

  /** Listens on 127.0.0.1; answers the URL to give MESSAGE_WEBHOOK_URL. */
  async start(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/messages`;
  }

  /** The bodies sent for the message with this id, in the order they came. */
  bodiesFor(id: string): any[] {
    return this.requests.map((request) => request.body).filter((body) => body.id === id);
  }

  /** What a gateway deduplicating on the idempotency key would have delivered. */
  deliveredKeys(): string[] {
    return [...new Set(this.requests.map((request) => request.headers['idempotency-key'] as string))];
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
