// The PostGraphile v5 peer, copied into bench/.peer/postgraphile/ and run there under Node 22 (PostGraphile 5
// needs Node >= 22): the Amber preset over the same tables, no authentication (the optimistic peer). The
// table "Subscription" collides with GraphQL's root Subscription type, so a smart tag renames its type.
import { createServer } from 'node:http';
import { postgraphile } from 'postgraphile';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { makePgService } from 'postgraphile/adaptors/pg';
import { makeJSONPgSmartTagsPlugin } from 'postgraphile/utils';
const tags = makeJSONPgSmartTagsPlugin({ version: 1, config: { class: { Subscription: { tags: { name: 'CustomerSubscription' } } } } });
const preset = {
  extends: [PostGraphileAmberPreset],
  plugins: [tags],
  pgServices: [makePgService({ connectionString: process.env.DATABASE_URL, schemas: ['public'], poolConfig: { max: 10 } })],
  grafserv: { port: Number(process.env.PORT), host: '127.0.0.1', graphiql: false },
  grafast: { explain: false },
};
const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
const server = createServer();
serv.addTo(server).catch((error) => {
  console.error(error);
  process.exit(1);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
server.listen(Number(process.env.PORT), '127.0.0.1');
