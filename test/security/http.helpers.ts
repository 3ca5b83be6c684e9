// Raw HTTP for the security suite: what an attacker sends is not always a well-formed JSON POST.
import { Writable } from 'node:stream';

export interface RawAnswer {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

export async function send(url: string, init: RequestInit): Promise<RawAnswer> {
  const response = await fetch(url, init);
  const text = await response.text();
  let json: any = undefined;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

export const codeOf = (response: { errors?: { extensions?: Record<string, any> }[] }) => response.errors?.[0]?.extensions?.code ?? 'OK';

export const codesOf = (response: { errors?: { extensions?: Record<string, any> }[] }) => (response.errors ?? []).map((error) => error.extensions?.code);

/** Collects a server's pino lines in memory, so tests can search them. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  private partial = '';

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    const text = this.partial + chunk.toString('utf8');
    const parts = text.split('\n');
    this.partial = parts.pop() ?? '';
    this.lines.push(...parts.filter((line) => line.length > 0));
    done();
  }

  text(): string {
    return this.lines.join('\n') + this.partial;
  }
}
