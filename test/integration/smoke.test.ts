import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignedInUser } from '../support/testkit/index.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server?.close());

describe('server', () => {
  it('answers health and readiness', async () => {
    const base = server.url.replace('/graphql', '');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, pendingMigrations: 0 });
  });

  it('serves me for a signed-in admin', async () => {
    const admin = await createSignedInUser(server, ['ADMIN']);
    const response = await server.gql('{ me { id email roles status } }', {}, { token: admin.token });
    expect(response.errors).toBeUndefined();
    expect(response.data.me).toMatchObject({ id: admin.user.id, email: admin.email, roles: ['ADMIN'], status: 'ACTIVE' });
  });
});
