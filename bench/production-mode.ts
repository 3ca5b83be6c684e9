// Imported first by the benchmarks' entry points (run.ts, authorization.run.ts), before anything loads
// graphql-js: it reads NODE_ENV once, when it loads, and outside production it checks every `instanceof` of
// its types across realms, which doubles the execution time measured in process. The servers under test run
// in production mode; the in-process measurement (the authorization cost) runs the same graphql-js.
process.env.NODE_ENV = 'production';
