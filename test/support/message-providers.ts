// Local stand-ins for the message providers, speaking their documented shapes: the WhatsApp Cloud API
// (`POST /{version}/{phone-number-id}/messages`, answered with a wamid), MSG91's send API
// (`POST /api/v2/sendsms`, answered `{"type":"success","message":"<request id>"}`) and a generic email
// webhook. Each answer can be queued: ok, an HTTP error, a refusal in the body, or a hang.
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ProviderAnswer = 'ok' | 'error' | 'refuse' | 'hang';

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: any;
  /** The id this stand-in answered with (wamid or MSG91 request id), when it answered ok. */
  answeredId?: string;
}

export class MessageProviders {
  readonly whatsapp: ReceivedRequest[] = [];
  readonly sms: ReceivedRequest[] = [];
  readonly email: ReceivedRequest[] = [];
  readonly whatsappAnswers: ProviderAnswer[] = [];
  readonly smsAnswers: ProviderAnswer[] = [];
  private sequence = 0;
  private held: ServerResponse[] = [];
  private server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const received: ReceivedRequest = { path: request.url ?? '', headers: request.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
      const path = received.path;
      if (/^\/v21\.0\/\d+\/messages$/.test(path)) {
        this.whatsapp.push(received);
        this.answer(response, received, this.whatsappAnswers.shift() ?? 'ok', 'whatsapp');
      } else if (path === '/api/v2/sendsms') {
        this.sms.push(received);
        this.answer(response, received, this.smsAnswers.shift() ?? 'ok', 'msg91');
      } else if (path === '/email') {
        this.email.push(received);
        response.end('{}');
      } else {
        response.statusCode = 404;
        response.end('{}');
      }
    });
  });

  private answer(response: ServerResponse, received: ReceivedRequest, answer: ProviderAnswer, kind: 'whatsapp' | 'msg91'): void {
    if (answer === 'hang') {
      this.held.push(response);
      return;
    }
    response.setHeader('content-type', 'application/json');
    if (answer === 'error') {
      response.statusCode = kind === 'whatsapp' ? 400 : 500;
      response.end(
        JSON.stringify(
          kind === 'whatsapp'
            ? { error: { message: 'Message undeliverable to +91 98…', type: 'OAuthException', code: 131026, fbtrace_id: 'A1' } }
            : { type: 'error', message: 'internal' },
        ),
      );
      return;
    }
    if (answer === 'refuse') {
      response.end(JSON.stringify({ type: 'error', message: 'Invalid DLT template' }));
      return;
    }
    this.sequence += 1;
    if (kind === 'whatsapp') {
      received.answeredId = `wamid.HBgM${String(this.sequence).padStart(6, '0')}`;
      response.end(
        JSON.stringify({
          messaging_product: 'whatsapp',
          contacts: [{ input: received.body.to, wa_id: received.body.to }],
          messages: [{ id: received.answeredId }],
        }),
      );
    } else {
      received.answeredId = `3763646c30${String(this.sequence).padStart(6, '0')}`;
      response.end(JSON.stringify({ type: 'success', message: received.answeredId }));
    }
  }

  async start(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Requests to one phone (international digits, as both providers take it). */
  smsTo(phone: string): ReceivedRequest[] {
    return this.sms.filter((request) => request.body.sms?.[0]?.to?.[0] === phone.replace(/^\+/, ''));
  }

  whatsappTo(phone: string): ReceivedRequest[] {
    return this.whatsapp.filter((request) => request.body.to === phone.replace(/^\+/, ''));
  }

  close(): Promise<void> {
    for (const response of this.held) response.destroy();
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
