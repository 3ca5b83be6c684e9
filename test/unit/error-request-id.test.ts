// An unexpected error's log line carries the request id as well as the error id given to the client.
import { Writable } from 'node:stream';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createErrorFormatter } from '../../src/server/errors.js';
import { createLogger } from '../../src/server/logger.js';
import { runInRequestScope } from '../../src/server/request-scope.js';

describe('the error formatter', () => {
  it('logs the request id with the error id of a masked error', () => {
    const lines: any[] = [];
    const sink = new Writable({
      write: (chunk, _encoding, done) => {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    const format = createErrorFormatter(createLogger('info', sink), { production: true });
    const original = new Error('connection reset by peer');
    const formatted = runInRequestScope({ requestId: 'request-0001-abcd', startedAt: process.hrtime.bigint() }, () =>
      format({ message: original.message, path: ['me'] }, new GraphQLError(original.message, { originalError: original })),
    );
    expect(formatted.message).toBe('internal server error');
    const errorId = formatted.extensions?.errorId;
    expect(errorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'error', msg: 'unexpected error', errorId, requestId: 'request-0001-abcd', path: ['me'] });
    expect(lines[0].err.message).toBe('connection reset by peer');
  });
});
