// Migrations may hold PL/pgSQL bodies (the activation tally's triggers), whose semicolons
// @prisma/adapter-pg's executeScript splits on. On pg the schema engine gets the script sent whole, as one
// simple-protocol query, which PostgreSQL runs as one implicit transaction. PGlite's adapter already sends
// scripts whole (PGlite.exec) and is passed through unchanged.
import { DriverAdapterError } from '@prisma/driver-adapter-utils';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { wrapAdapterFactory } from '../shared/adapter-wrapping.js';

interface SimpleQueryDriver {
  query(text: string): Promise<unknown>;
}

interface PgError {
  code?: string;
  severity?: string;
  message: string;
  detail?: string;
  column?: string;
  hint?: string;
}

function simpleQueryDriver(adapter: SqlDriverAdapter): SimpleQueryDriver | null {
  const underlying = (adapter as { underlyingDriver?: () => unknown }).underlyingDriver?.();
  const candidate = underlying as Partial<SimpleQueryDriver> | undefined;
  return adapter.adapterName.includes('adapter-pg') && typeof candidate?.query === 'function' ? (candidate as SimpleQueryDriver) : null;
}

/** Sends the script as one simple-protocol query on pg; undefined (the adapter's own) elsewhere. */
function wholeScriptSender(adapter: SqlDriverAdapter): ((script: string) => Promise<void>) | undefined {
  const driver = simpleQueryDriver(adapter);
  if (!driver) return undefined;
  return async (script: string): Promise<void> => {
    try {
      await driver.query(script);
    } catch (error) {
      const failure = error as PgError;
      throw new DriverAdapterError({
        kind: 'postgres',
        code: failure.code ?? 'N/A',
        severity: failure.severity ?? 'N/A',
        message: failure.message,
        detail: failure.detail,
        column: failure.column,
        hint: failure.hint,
      });
    }
  };
}

export function withWholeScripts(factory: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  return wrapAdapterFactory(factory, { executeScript: wholeScriptSender, shadowDatabase: true });
}
