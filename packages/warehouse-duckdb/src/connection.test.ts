import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnvironmentError } from '@funnelcast/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from './connection.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'funnelcast-connection-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('openDatabase', () => {
  it.each([':memory:', 'file'])('turns off extension auto-install and auto-load (%s)', async (where) => {
    const database = await openDatabase(where === 'file' ? join(dir, 'nested', 'x.duckdb') : where);
    try {
      const [settings] = await database.exclusive((db) =>
        db.all<{ install: string; load: string }>(
          "SELECT current_setting('autoinstall_known_extensions')::VARCHAR AS install, current_setting('autoload_known_extensions')::VARCHAR AS load",
        ),
      );
      expect(settings).toEqual({ install: 'false', load: 'false' });
    } finally {
      await database.close();
    }
  });

  it('refuses a file that is not a DuckDB database with an EnvironmentError naming it', async () => {
    const file = join(dir, 'notes.duckdb');
    await writeFile(file, 'not a database\n');
    const error = await openDatabase(file).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as Error).message).toMatch(new RegExp(`^database ${file} is not a DuckDB database: point --db at`));
  });

  it('refuses a path under a file with an EnvironmentError', async () => {
    const file = join(dir, 'plain');
    await writeFile(file, '');
    await expect(openDatabase(join(file, 'x.duckdb'))).rejects.toThrow(EnvironmentError);
  });

  it('passes on a query\'s own errors unchanged', async () => {
    const database = await openDatabase(':memory:');
    try {
      await expect(database.exclusive((db) => db.run('SELECT * FROM no_such_table'))).rejects.toThrow(/no_such_table/);
      await expect(database.exclusive((db) => db.run('SELECT * FROM no_such_table'))).rejects.not.toThrow(EnvironmentError);
    } finally {
      await database.close();
    }
  });
});
