import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DuckDBInstance, DuckDBTimestampValue, type DuckDBConnection } from '@duckdb/node-api';
import { analyseJob, RefusedStatement, type AnalysisState, type RestType } from './googlesql-analyser.js';
import type { CatalogColumn, ModelSchema } from './googlesql-catalog.js';

/**
 * A local stand-in for the BigQuery REST API, for tests: the real `@google-cloud/bigquery` client talks to it over
 * HTTP (jobs.insert, jobs.getQueryResults, jobs.get), and it EXECUTES each query in an in-process DuckDB after a
 * small, explicit dialect translation ({@link translateSql}). Datasets are DuckDB schemas; the project is dropped.
 * BigQuery ML statements cannot run here: they go to the test's `ml` handler, which answers by a known rule.
 *
 * Before anything runs, every statement is analysed by GoogleSQL, BigQuery's own SQL front end (see
 * googlesql-analyser.ts), and a statement it refuses is refused here with its message, as BigQuery would: the
 * DuckDB translation never gets to accept SQL that BigQuery does not.
 */

/** A query parameter as the REST API carries it. */
interface RestParameter {
  readonly name: string;
  readonly parameterType: RestType;
  readonly parameterValue: RestValue;
}
interface RestValue {
  readonly value?: string | number | boolean | null;
  readonly arrayValues?: readonly RestValue[];
  readonly structValues?: Record<string, RestValue>;
}

/** One job the fake received, for assertions. */
export interface FakeJob {
  readonly jobId: string;
  readonly sql: string;
  readonly dryRun: boolean;
  readonly labels: Record<string, string> | undefined;
  readonly maximumBytesBilled: string | undefined;
  readonly location: string | undefined;
  readonly authorization: string | undefined;
  /** The job's `jobTimeoutMs`, as sent. */
  readonly jobTimeoutMs: string | undefined;
  /** Parameters decoded to plain values (arrays of structs as arrays of objects). */
  readonly params: Record<string, unknown>;
}

/** A result the `ml` handler returns: BigQuery field types and rows of plain values. */
export interface FakeResult {
  readonly fields: readonly { readonly name: string; readonly type: string }[];
  readonly rows: readonly (readonly unknown[])[];
}

/** An error the fake answers with instead of running a job. */
export interface FakeFault {
  readonly status: number;
  readonly reason: string;
  readonly message?: string;
  /** Run the job first, then answer with the error: the response was lost after BigQuery did the work. */
  readonly afterRun?: boolean;
}

/** Options of {@link startFakeBigQuery}. */
export interface FakeBigQueryOptions {
  /** Answers BigQuery ML statements (CREATE / ALTER MODEL, ML.FORECAST, ML.PREDICT, ML.EVALUATE, ML.ARIMA_EVALUATE). */
  readonly ml?: (job: FakeJob, exec: (sql: string) => Promise<Record<string, unknown>[]>) => Promise<FakeResult | undefined>;
  /** Bytes a dry run reports. @defaultValue 1048576 */
  readonly dryRunBytes?: number;
  /** The location datasets.get reports. @defaultValue `EU` */
  readonly datasetLocation?: string;
  /**
   * The IAM permissions tables.testIamPermissions grants on every table (of those asked).
   * @defaultValue every permission asked
   */
  readonly permissions?: readonly string[];
  /** Models that exist before the test (trained elsewhere), by `project.dataset.model`; CREATE MODEL adds more. */
  readonly models?: Readonly<Record<string, ModelSchema>>;
}

/** The running fake. */
export interface FakeBigQuery {
  /** Pass as the target's `apiEndpoint`. */
  readonly apiEndpoint: string;
  /** Every job received, in order (faulted attempts included). */
  readonly jobs: FakeJob[];
  /** Makes the next job insert fail with `fault` (queue several to fail several). */
  failNext(fault: FakeFault): void;
  /** Makes jobs whose SQL matches `pattern` fail with `fault` (`times` of them, or until cleared with `null`). */
  failMatching(pattern: RegExp | null, fault?: FakeFault, times?: number): void;
  /**
   * Makes the statement of a script matching `pattern` (after translation) fail when it is reached, after the
   * statements before it ran — a crash in the middle of a transaction. `null` clears it.
   */
  failStatement(pattern: RegExp | null): void;
  /** Makes jobs whose SQL matches `pattern` run until cancelled (jobs.cancel); `null` clears it. */
  hangMatching(pattern: RegExp | null): void;
  /** Ids of the jobs cancelled with jobs.cancel, in order. */
  readonly cancelled: string[];
  /**
   * The OAuth token endpoint credential files can name (`token_url`): it grants an access token for any refresh
   * token, or refuses with `invalid_grant` after {@link FakeBigQuery.refuseTokens}.
   */
  readonly tokenUrl: string;
  /** Makes the token endpoint answer `invalid_grant` (a revoked or expired credential). */
  refuseTokens(): void;
  /** Runs DuckDB SQL directly (to load leads, or to look behind the views). */
  exec(sql: string): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

const ML_STATEMENT = /\bML\.(FORECAST|PREDICT|EVALUATE|ARIMA_EVALUATE)\s*\(|\b(CREATE\s+(OR\s+REPLACE\s+)?|ALTER\s+)MODEL\b/i;

function plainValue(type: RestType, value: RestValue | undefined): unknown {
  if (!value) return null;
  if (type.type === 'ARRAY') return (value.arrayValues ?? []).map((v) => plainValue(type.arrayType ?? { type: 'STRING' }, v));
  if (type.type === 'STRUCT') {
    return Object.fromEntries((type.structTypes ?? []).map((f) => [f.name, plainValue(f.type, value.structValues?.[f.name])]));
  }
  return value.value ?? null;
}

const DUCK_TYPES: Record<string, string> = {
  STRING: 'VARCHAR', INT64: 'BIGINT', INTEGER: 'BIGINT', FLOAT64: 'DOUBLE', FLOAT: 'DOUBLE', DATE: 'DATE', TIMESTAMP: 'TIMESTAMP', BOOL: 'BOOLEAN',
};

function literal(type: string, value: unknown): string {
  const duck = DUCK_TYPES[type] ?? 'VARCHAR';
  if (value === null || value === undefined) return `CAST(NULL AS ${duck})`;
  const text = String(value);
  if (type === 'INT64' || type === 'INTEGER' || type === 'FLOAT64' || type === 'FLOAT') return `CAST(${Number(text)} AS ${duck})`;
  if (type === 'BOOL') return text === 'true' ? 'TRUE' : 'FALSE';
  // DuckDB's TIMESTAMP literal takes no zone designator; every timestamp here is UTC.
  const quoted = `'${(type === 'TIMESTAMP' ? text.replace('T', ' ').replace(/Z$/, '') : text).replace(/'/g, "''")}'`;
  return `CAST(${quoted} AS ${duck})`;
}

// An ARRAY<STRUCT> parameter as a derived table with one column per field (DuckDB's UNNEST would give one struct);
// an array of scalars as a one-column table named `value`.
function structRows(param: RestParameter, values: unknown[]): string {
  const element = param.parameterType.arrayType ?? { type: 'STRING' };
  if (element.type !== 'STRUCT') {
    return values.length === 0
      ? `(SELECT ${literal(element.type, null)} AS "value" WHERE FALSE)`
      : `(SELECT * FROM (VALUES ${values.map((v) => `(${literal(element.type, v)})`).join(', ')}) AS _values("value"))`;
  }
  const fields = element.structTypes ?? [];
  if (values.length === 0) {
    return `(SELECT ${fields.map((f) => `${literal(f.type.type, null)} AS "${f.name}"`).join(', ')} WHERE FALSE)`;
  }
  const rows = values.map((row) => `(${fields.map((f) => literal(f.type.type, (row as Record<string, unknown>)[f.name])).join(', ')})`);
  return `(SELECT * FROM (VALUES ${rows.join(', ')}) AS _values(${fields.map((f) => `"${f.name}"`).join(', ')}))`;
}

/**
 * BigQuery Standard SQL → DuckDB, for the statements funnelcast sends: backquoted `project.dataset.table` paths
 * become `"dataset"."table"`, BigQuery type names DuckDB's, `DATE_DIFF(a, b, DAY)` DuckDB's `date_diff`, table
 * OPTIONS (description, expiration) / PARTITION BY / CLUSTER BY are dropped, and parameters become typed literals (`UNNEST(@rows)` of structs a
 * VALUES table).
 */
export function translateSql(sql: string, parameters: readonly RestParameter[]): string {
  const byName = new Map(parameters.map((p) => [p.name, p]));
  const param = (name: string) => {
    const p = byName.get(name);
    if (!p) throw Object.assign(new Error(`Query parameter '${name}' not found`), { reason: 'invalidQuery' });
    return p;
  };
  return sql
    .replace(/\s*OPTIONS\(description = '(?:[^'\\]|\\.)*'\)/g, '')
    .replace(/\s*OPTIONS\(expiration_timestamp = TIMESTAMP '[^']*'\)/g, '')
    .replace(/\n(PARTITION|CLUSTER) BY [^\n]*/g, '')
    .replace(/`([^`]+)`/g, (_, path: string) => path.split('.').slice(-2).map((part) => `"${part}"`).join('.'))
    .replace(/\bINT64\b/g, 'BIGINT')
    .replace(/\bFLOAT64\b/g, 'DOUBLE')
    .replace(/\bSTRING\b/g, 'VARCHAR')
    .replace(/\bDATE_DIFF\(\s*([^,()]+?)\s*,\s*([^,()]+?)\s*,\s*DAY\s*\)/g, "date_diff('day', $2, $1)")
    .replace(/UNNEST\(@(\w+)\)|@(\w+)/g, (_, unnest: string | undefined, scalar: string | undefined) => {
      const p = param((unnest ?? scalar) as string);
      const value = plainValue(p.parameterType, p.parameterValue);
      return unnest ? structRows(p, value as unknown[]) : literal(p.parameterType.type, value);
    });
}

// DuckDB column types as GoogleSQL's, for the tables the analyser finds here rather than in the declarations.
const DUCK_KINDS: Readonly<Record<string, NonNullable<CatalogColumn['type']['typeKind']>>> = {
  VARCHAR: 'TYPE_STRING', BIGINT: 'TYPE_INT64', INTEGER: 'TYPE_INT64', DOUBLE: 'TYPE_DOUBLE', DATE: 'TYPE_DATE', BOOLEAN: 'TYPE_BOOL',
  'TIMESTAMP WITH TIME ZONE': 'TYPE_TIMESTAMP', TIMESTAMP: 'TYPE_TIMESTAMP',
};

// DuckDB result column types as BigQuery field types.
function fieldType(duckType: string): string {
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT)$/.test(duckType)) return 'INTEGER';
  if (/^(DOUBLE|FLOAT|DECIMAL)/.test(duckType)) return 'FLOAT';
  if (duckType === 'DATE') return 'DATE';
  if (duckType.startsWith('TIMESTAMP')) return 'TIMESTAMP';
  if (duckType === 'BOOLEAN') return 'BOOLEAN';
  return 'STRING';
}

// One cell in BigQuery's wire format: strings, TIMESTAMPs as integer microseconds.
function wireValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof DuckDBTimestampValue) return value.micros.toString();
  return String(value);
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function sendError(response: ServerResponse, status: number, reason: string, message: string): void {
  send(response, status, { error: { code: status, message, errors: [{ reason, message, domain: 'global' }] } });
}

/** Starts the fake on 127.0.0.1 at a free port, with a fresh in-memory DuckDB. */
export async function startFakeBigQuery(options: FakeBigQueryOptions = {}): Promise<FakeBigQuery> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection: DuckDBConnection = await instance.connect();
  const results = new Map<string, FakeResult>();
  const jobs: FakeJob[] = [];
  const faults: FakeFault[] = [];
  let matching: { pattern: RegExp; fault: FakeFault; left: number } | null = null;
  let failingStatement: RegExp | null = null;
  let hanging: RegExp | null = null;
  let tokensRefused = false;
  const running = new Set<string>();
  const cancelled: string[] = [];
  // One DuckDB connection: statements run one at a time, in arrival order.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };

  // The analyser's view of what this server holds beyond the declared relations.
  const analysis: AnalysisState = {
    tables: [],
    models: new Map(Object.entries(options.models ?? {}).map(([path, schema]) => [path.toLowerCase(), schema])),
    existingTable: (path) =>
      serial(async () => {
        const [dataset, table] = path.join('.').split('.').slice(-2);
        const reader = await connection.runAndReadAll(
          `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
          [dataset ?? '', table ?? ''],
        );
        const rows = reader.getRowObjects();
        return rows.length ? rows.map((r) => ({ name: String(r.column_name), type: { typeKind: DUCK_KINDS[String(r.data_type)] ?? 'TYPE_STRING' } })) : undefined;
      }),
  };

  const runDuck = async (sql: string): Promise<FakeResult> => {
    const reader = await connection.runAndReadAll(sql);
    return {
      fields: reader.columnNames().map((name, i) => ({ name, type: fieldType(String(reader.columnTypes()[i])) })),
      rows: reader.getRows(),
    };
  };

  // A script runs statement by statement; a failure inside a transaction rolls it back, as BigQuery does.
  const runScript = async (sql: string): Promise<FakeResult> => {
    const statements = sql.split(/;\s*\n/).map((s) => s.trim().replace(/;$/, '')).filter(Boolean);
    const ensureSchemas = [...sql.matchAll(/"(\w+)"\."\w+"/g)].map((m) => m[1]);
    for (const schema of new Set(ensureSchemas)) await connection.run(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    let last: FakeResult = { fields: [], rows: [] };
    let inTransaction = false;
    try {
      for (const statement of statements) {
        if (/^BEGIN\b/i.test(statement)) inTransaction = true;
        if (failingStatement?.test(statement)) throw Object.assign(new Error('injected failure mid-script'), { reason: 'backendError' });
        last = await runDuck(statement);
        if (/^COMMIT\b/i.test(statement)) inTransaction = false;
      }
    } catch (error) {
      if (inTransaction) await connection.run('ROLLBACK');
      throw error;
    }
    return last;
  };

  const execNow = async (sql: string) => {
    const result = await runScript(sql);
    return result.rows.map((row) => Object.fromEntries(result.fields.map((f, i) => [f.name, row[i]])));
  };

  const fake: FakeBigQuery = {
    apiEndpoint: '',
    jobs,
    failNext: (fault) => void faults.push(fault),
    failMatching: (pattern, fault, times = Infinity) => {
      matching = pattern && fault ? { pattern, fault, left: times } : null;
    },
    failStatement: (pattern) => {
      failingStatement = pattern;
    },
    hangMatching: (pattern) => {
      hanging = pattern;
    },
    cancelled,
    tokenUrl: '',
    refuseTokens: () => {
      tokensRefused = true;
    },
    exec: (sql) => serial(() => execNow(sql)),
    close: async () => {
      // The client's keep-alive sockets would hold close() open until they time out.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      // A request cut off above may still be running a statement; closing DuckDB under it crashes the process.
      await queue;
      connection.closeSync();
      instance.closeSync();
    },
  };

  async function insertJob(request: IncomingMessage, response: ServerResponse, projectId: string): Promise<void> {
    const body = (await readBody(request)) as {
      configuration?: { query?: { query?: string; queryParameters?: RestParameter[]; maximumBytesBilled?: string }; dryRun?: boolean; labels?: Record<string, string> };
      jobReference?: { jobId?: string; location?: string };
    };
    const query = body.configuration?.query;
    const jobId = body.jobReference?.jobId ?? `job_${jobs.length}`;
    const parameters = query?.queryParameters ?? [];
    const job: FakeJob = {
      jobId,
      sql: query?.query ?? '',
      dryRun: body.configuration?.dryRun === true,
      labels: body.configuration?.labels,
      maximumBytesBilled: query?.maximumBytesBilled,
      location: body.jobReference?.location,
      authorization: request.headers.authorization,
      jobTimeoutMs: (body.configuration as { jobTimeoutMs?: string } | undefined)?.jobTimeoutMs,
      params: Object.fromEntries(parameters.map((p) => [p.name, plainValue(p.parameterType, p.parameterValue)])),
    };
    jobs.push(job);
    const matched = matching && matching.left > 0 && matching.pattern.test(job.sql) ? matching : undefined;
    if (matched) matched.left -= 1;
    const fault = faults.shift() ?? matched?.fault;
    const answerFault = (f: FakeFault) => sendError(response, f.status, f.reason, f.message ?? `injected ${f.reason}`);
    if (fault && !fault.afterRun) return answerFault(fault);
    let effects;
    try {
      effects = await analyseJob(job.sql, parameters, analysis);
    } catch (error) {
      if (!(error instanceof RefusedStatement)) throw error;
      return sendError(response, error.reason === 'notFound' ? 404 : 400, error.reason, error.message);
    }
    const reference = { projectId, jobId, location: job.location ?? 'US' };
    const bytes = String(options.dryRunBytes ?? 1_048_576);
    const resource = {
      kind: 'bigquery#job',
      id: `${projectId}:${reference.location}.${jobId}`,
      jobReference: reference,
      configuration: body.configuration,
      status: { state: 'DONE' },
      statistics: { totalBytesProcessed: bytes, query: { totalBytesProcessed: bytes } },
    };
    if (job.dryRun) return send(response, 200, resource);
    if (hanging?.test(job.sql)) {
      running.add(jobId);
      return send(response, 200, { ...resource, status: { state: 'RUNNING' } });
    }
    try {
      const result = await serial(async () => {
        if (ML_STATEMENT.test(job.sql)) {
          const answer = await options.ml?.(job, execNow);
          if (!answer) throw Object.assign(new Error(`fake BigQuery has no answer for ML statement: ${job.sql.slice(0, 80)}`), { reason: 'invalidQuery' });
          return answer;
        }
        return runScript(translateSql(job.sql, parameters));
      });
      results.set(jobId, result);
      for (const [name, model] of effects.models) analysis.models.set(name, model);
      if (fault) return answerFault(fault);
      send(response, 200, resource);
    } catch (error) {
      // BigQuery answers a missing table with notFound, anything else it cannot run with invalidQuery.
      const missing = error instanceof Error && /Catalog Error: Table with name/.test(error.message);
      const reason = (error as { reason?: string }).reason ?? (missing ? 'notFound' : 'invalidQuery');
      sendError(response, 400, reason, error instanceof Error ? error.message : String(error));
    }
  }

  function queryResults(response: ServerResponse, projectId: string, jobId: string): void {
    if (cancelled.includes(jobId)) return sendError(response, 400, 'stopped', 'Job execution was cancelled: User requested cancellation');
    // BigQuery holds the request a while, then says the job is not complete; the client asks again.
    if (running.has(jobId)) {
      setTimeout(() => send(response, 200, { kind: 'bigquery#getQueryResultsResponse', jobReference: { projectId, jobId }, jobComplete: false }), 50);
      return;
    }
    const result = results.get(jobId);
    if (!result) return sendError(response, 404, 'notFound', `Not found: Job ${projectId}:${jobId}`);
    send(response, 200, {
      kind: 'bigquery#getQueryResultsResponse',
      jobReference: { projectId, jobId },
      jobComplete: true,
      totalRows: String(result.rows.length),
      ...(result.fields.length
        ? {
            schema: { fields: result.fields.map((f) => ({ name: f.name, type: f.type, mode: 'NULLABLE' })) },
            rows: result.rows.map((row) => ({ f: row.map((v) => ({ v: wireValue(v) })) })),
          }
        : {}),
    });
  }

  async function answerToken(request: IncomingMessage, response: ServerResponse): Promise<void> {
    await readBody(request).catch(() => undefined);
    if (tokensRefused) return send(response, 400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
    send(response, 200, { access_token: 'fake-access-token', expires_in: 3600, token_type: 'Bearer' });
  }

  // jobs.cancel, datasets.get, tables.get, models.get and tables.testIamPermissions, from the DuckDB catalog.
  async function answerResource(request: IncomingMessage, response: ServerResponse, match: RegExpExecArray): Promise<void> {
    const [, projectId = '', cancelId, datasetId = '', kind, name = '', testing] = match;
    if (cancelId) {
      const jobId = decodeURIComponent(cancelId);
      cancelled.push(jobId);
      running.delete(jobId);
      return send(response, 200, { kind: 'bigquery#jobCancelResponse', job: { jobReference: { projectId, jobId }, status: { state: 'DONE' } } });
    }
    const schemas = await serial(() => execNow(`SELECT schema_name FROM information_schema.schemata WHERE schema_name = '${datasetId.replace(/'/g, "''")}'`));
    if (schemas.length === 0) return sendError(response, 404, 'notFound', `Not found: Dataset ${projectId}:${datasetId}`);
    if (!kind) {
      return send(response, 200, { kind: 'bigquery#dataset', datasetReference: { projectId, datasetId }, location: options.datasetLocation ?? 'EU' });
    }
    if (testing) {
      const asked = ((await readBody(request)) as { permissions?: string[] }).permissions ?? [];
      return send(response, 200, { permissions: asked.filter((p) => !options.permissions || options.permissions.includes(p)) });
    }
    if (kind === 'models') {
      const known = analysis.models.has(`${projectId}.${datasetId}.${name}`.toLowerCase());
      return known
        ? send(response, 200, { kind: 'bigquery#model', modelReference: { projectId, datasetId, modelId: name } })
        : sendError(response, 404, 'notFound', `Not found: Model ${projectId}:${datasetId}.${name}`);
    }
    const columns = await serial(() =>
      execNow(`SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = '${datasetId.replace(/'/g, "''")}' AND table_name = '${name.replace(/'/g, "''")}' ORDER BY ordinal_position`),
    );
    if (columns.length === 0) return sendError(response, 404, 'notFound', `Not found: Table ${projectId}:${datasetId}.${name}`);
    const fields = columns.map((c) => ({ name: String(c.column_name), type: fieldType(String(c.data_type)), mode: 'NULLABLE' }));
    send(response, 200, { kind: 'bigquery#table', tableReference: { projectId, datasetId, tableId: name }, schema: { fields } });
  }

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const match = /^\/bigquery\/v2\/projects\/([^/]+)\/(jobs|queries)(?:\/([^/]+))?$/.exec(url.pathname);
    const [, projectId = '', collection, id] = match ?? [];
    const resource = /^\/bigquery\/v2\/projects\/([^/]+)\/(?:jobs\/([^/]+)\/cancel|datasets\/([^/]+)(?:\/(tables|models)\/([^/:]+)(\/?:testIamPermissions)?)?)$/.exec(url.pathname);
    const handle = async () => {
      if (url.pathname === '/token' && request.method === 'POST') return answerToken(request, response);
      // BigQuery refuses a request without credentials (the client then reports why it had none).
      if (!request.headers.authorization) return sendError(response, 401, 'unauthorized', 'Request is missing required authentication credential.');
      if (resource) return answerResource(request, response, resource);
      if (collection === 'jobs' && !id && request.method === 'POST') return insertJob(request, response, projectId);
      if (collection === 'queries' && id && request.method === 'GET') return queryResults(response, projectId, decodeURIComponent(id));
      if (collection === 'jobs' && id && request.method === 'GET') {
        return send(response, 200, { jobReference: { projectId, jobId: id }, status: { state: 'DONE' } });
      }
      sendError(response, 404, 'notFound', `fake BigQuery does not serve ${request.method} ${url.pathname}`);
    };
    handle().catch((error: unknown) => sendError(response, 500, 'internalError', String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, { apiEndpoint: `http://127.0.0.1:${port}`, tokenUrl: `http://127.0.0.1:${port}/token` });
}
