import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { buildCatalog, declaredRelation, type CatalogColumn, type CatalogContents, type ModelSchema } from './googlesql-catalog.js';
import {
  AnalyserRefusal,
  analyseExpression,
  analyseNext,
  EXPRESSION_PREFIX,
  parseScript,
  type AnalyserParameter,
  type TypeProto,
} from './googlesql-client.js';
import { scriptSteps, unsupportedStep, type ScriptStep, type Span } from './googlesql-script.js';
import { LOG_DIR_VARIABLE } from './googlesql-server.js';

/**
 * Analyses each job the test server receives the way BigQuery does before running it: statement by statement,
 * against the catalog of declared relations, with the job's parameters declared with their types. GoogleSQL
 * analyses one statement at a time and knows no script: a script's variables are declared to it as named
 * constants of the catalog, its temporary tables added to the catalog, its conditions and assignments analysed as expressions.
 */

/** A REST query parameter type. */
export interface RestType {
  readonly type: string;
  readonly arrayType?: RestType;
  readonly structTypes?: readonly { readonly name: string; readonly type: RestType }[];
}

const SCALARS: Readonly<Record<string, NonNullable<TypeProto['typeKind']>>> = {
  STRING: 'TYPE_STRING', INT64: 'TYPE_INT64', INTEGER: 'TYPE_INT64', FLOAT64: 'TYPE_DOUBLE', FLOAT: 'TYPE_DOUBLE',
  BOOL: 'TYPE_BOOL', BOOLEAN: 'TYPE_BOOL', DATE: 'TYPE_DATE', TIMESTAMP: 'TYPE_TIMESTAMP', NUMERIC: 'TYPE_NUMERIC', BYTES: 'TYPE_BYTES',
};

/** The GoogleSQL type of a REST parameter type. */
export function parameterType(rest: RestType): TypeProto {
  if (rest.type === 'ARRAY') return { typeKind: 'TYPE_ARRAY', arrayType: { elementType: parameterType(rest.arrayType ?? { type: 'STRING' }) } };
  if (rest.type === 'STRUCT') {
    return { typeKind: 'TYPE_STRUCT', structType: { field: (rest.structTypes ?? []).map((f) => ({ fieldName: f.name, fieldType: parameterType(f.type) })) } };
  }
  const kind = SCALARS[rest.type];
  if (!kind) throw new AnalyserRefusal(`unsupported query parameter type ${rest.type}`);
  return { typeKind: kind };
}

/** What the test server knows beyond the declarations: tables it holds, models it was told of or created. */
export interface AnalysisState {
  /** Columns of an undeclared table the server holds (a training table, a legacy table a test made). */
  existingTable(path: readonly string[]): Promise<CatalogColumn[] | undefined>;
  /** Models by lower-cased name path (`project.dataset.model`), with those each CREATE MODEL that ran made. */
  readonly models: Map<string, ModelSchema>;
  /**
   * The relations found so far, by the paths statements named them with: kept across jobs, so a server's catalog
   * settles after a few statements and is registered with the analyser once, not once per job.
   */
  readonly tables: { path: readonly string[]; columns: readonly CatalogColumn[] }[];
}

/** Why the analyser refused a job, and BigQuery's reason: `notFound` for a missing table or model. */
export class RefusedStatement extends Error {
  constructor(message: string, readonly reason: 'invalidQuery' | 'notFound') {
    super(message);
  }
}

/** Statements analysed (or refused, or parsed only) by this process, whitespace-normalised. */
export const analysedStatements = { analysed: new Set<string>(), parsedOnly: new Set<string>(), refused: new Set<string>() };

function record(outcome: keyof typeof analysedStatements, sql: string): void {
  const normalised = sql.replace(/\s+/g, ' ').trim();
  analysedStatements[outcome].add(normalised);
  const dir = process.env[LOG_DIR_VARIABLE];
  const label = outcome === 'parsedOnly' ? 'parsed-only' : outcome;
  if (dir) appendFileSync(join(dir, `${process.pid}-${threadId}.log`), `${label}\t${normalised}\n`);
}

const MODEL_PATH = /\bMODEL\s+(`[^`]+`|[\w.-]+)/gi;
const key = (path: readonly string[]) => path.join('.').toLowerCase();
const pathOf = (written: string) => (written.startsWith('`') ? [written.slice(1, -1)] : written.split('.'));

// The text of ML.PREDICT's second argument (a parenthesised query or `TABLE path`), found by matching parentheses
// outside quotes: GoogleSQL cannot type it as a signature, so the statement's ML.PREDICT is fixed to its schema.
function predictInputText(sql: string): string | undefined {
  const start = /\bML\.PREDICT\s*\(/i.exec(sql);
  if (!start) return undefined;
  let depth = 0;
  let argStart = -1;
  for (let i = start.index + start[0].length; i < sql.length; i++) {
    const ch = sql[i];
    if (ch === "'" || ch === '"' || ch === '`') {
      i = sql.indexOf(ch, i + 1);
      if (i < 0) return undefined;
    } else if (ch === '(') depth++;
    else if (ch === ')' && depth-- === 0) return argStart < 0 ? undefined : sql.slice(argStart, i).trim();
    else if (ch === ',' && depth === 0) {
      if (argStart >= 0) return sql.slice(argStart, i).trim();
      argStart = i + 1;
    }
  }
  return undefined;
}

/**
 * Runs `analyse` against the statement's catalog, adding each relation the analyser reports missing when the
 * declarations (or the server's own tables) know it, until it is accepted or refused for another reason.
 */
async function withCatalog<T>(contents: Catalog, analyse: (catalog: CatalogContents) => Promise<T>): Promise<T> {
  for (;;) {
    // A snapshot: jobs analysed at the same time add to the same list.
    const tables = [...contents.temporary, ...contents.tables];
    try {
      return await analyse({ ...contents, tables });
    } catch (error) {
      const missing = error instanceof AnalyserRefusal ? /^Table not found: (`[^`]+`|[\w.-]+)/.exec(error.message)?.[1] : undefined;
      if (!missing) throw error;
      const path = pathOf(missing);
      if (tables.some((t) => key(t.path) === key(path))) throw error;
      const columns = declaredRelation(path) ?? (await contents.state.existingTable(path));
      if (!columns) throw error;
      if (!contents.tables.some((t) => key(t.path) === key(path))) contents.tables.push({ path, columns });
    }
  }
}

/** The relations and models of one job's catalog, grown as the analyser asks for relations. */
interface Catalog extends CatalogContents {
  readonly tables: AnalysisState['tables'];
  /** The temporary tables the job's script made so far, latest first: they shadow tables of the same name. */
  readonly temporary: { path: readonly string[]; columns: readonly CatalogColumn[] }[];
  readonly state: AnalysisState;
}

async function predictInput(sql: string, contents: Catalog, parameters: readonly AnalyserParameter[]): Promise<CatalogColumn[]> {
  const input = predictInputText(sql);
  if (!input) return [];
  const table = /^TABLE\s+(`[^`]+`|[\w.-]+)$/i.exec(input);
  const query = table ? `SELECT * FROM ${table[1]}` : input.replace(/^\(([\s\S]*)\)$/, '$1');
  const { statement } = await withCatalog(contents, (catalog) => analyseNext(query, 0, buildCatalog(catalog), parameters));
  const resolved = (statement as { resolvedQueryStmtNode?: { outputColumnList?: { name: string; column: { type: TypeProto } }[] } }).resolvedQueryStmtNode;
  return (resolved?.outputColumnList ?? []).map((c) => ({ name: c.name, type: c.column.type }));
}

// A resolved option's literal value: a string, or an array of strings (input_label_cols, time_series_id_col).
function optionStrings(statement: Record<string, unknown>, name: string): string[] | undefined {
  const options = (statement.optionList ?? []) as { name: string; value: { resolvedLiteralNode?: { value: { value: Record<string, unknown> } } } }[];
  const value = options.find((o) => o.name.toLowerCase() === name)?.value.resolvedLiteralNode?.value.value;
  if (!value) return undefined;
  if (typeof value.stringValue === 'string') return [value.stringValue];
  const elements = (value.arrayValue as { element?: { stringValue?: string }[] } | undefined)?.element ?? [];
  return elements.map((e) => e.stringValue ?? '');
}

// A model a CREATE MODEL statement makes: its kind from model_type, labels and series ids typed by its query.
function createdModel(statement: Record<string, unknown>): { path: string[]; schema: ModelSchema } | undefined {
  const create = (statement.resolvedCreateStatementNode as { resolvedCreateModelStmtNode?: Record<string, unknown> } | undefined)?.resolvedCreateModelStmtNode;
  if (!create) return undefined;
  const output = (create.outputColumnList ?? []) as { name: string; column: { type: TypeProto } }[];
  const typed = (names: readonly string[]) => names.map((name) => ({ name, type: output.find((c) => c.name === name)?.column.type ?? { typeKind: 'TYPE_STRING' } }));
  const timeSeries = /^ARIMA/i.test(optionStrings(create, 'model_type')?.[0] ?? '');
  const schema: ModelSchema = timeSeries
    ? { kind: 'time_series', labels: [], idColumns: typed(optionStrings(create, 'time_series_id_col') ?? []) }
    : { kind: 'regressor', labels: typed(optionStrings(create, 'input_label_cols') ?? ['label']), idColumns: [] };
  return { path: (create.parent as { namePath: string[] }).namePath, schema };
}

const refusal = (error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  return new RefusedStatement(message, /^(Table|Model) not found/.test(message) ? 'notFound' : 'invalidQuery');
};

/** What a job makes, to be known once it ran (a dry run makes nothing). */
export interface JobEffects {
  /** Models the job's CREATE MODEL statements make, by lower-cased name path. */
  readonly models: ReadonlyMap<string, ModelSchema>;
}

const TEMP_TABLE = /^\s*CREATE\s+(?:OR\s+REPLACE\s+)?TEMP(?:ORARY)?\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(`[^`]+`|[\w.-]+)/i;

// The columns a CREATE TABLE statement defines (CREATE TEMP TABLE t AS SELECT …: the query's output columns).
function definedColumns(node: unknown): CatalogColumn[] | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const list = (node as { columnDefinitionList?: { name: string; type: TypeProto }[] }).columnDefinitionList;
  if (list?.length) return list.map((c) => ({ name: c.name, type: c.type }));
  for (const value of Object.values(node)) {
    const found = definedColumns(value);
    if (found) return found;
  }
  return undefined;
}

/** One job's SQL being analysed: its catalog, parameters, and the models its CREATE MODEL statements make. */
class JobAnalysis {
  private readonly bytes: Buffer;
  readonly models = new Map<string, ModelSchema>();

  constructor(
    private readonly sql: string,
    private readonly contents: Catalog,
    private readonly parameters: readonly AnalyserParameter[],
  ) {
    this.bytes = Buffer.from(sql, 'utf8');
  }

  private text(span: Span): string {
    return this.bytes.subarray(span.start, span.end).toString('utf8');
  }

  /** Analyses a SQL statement of the script; a temporary table it makes joins the job's catalog. */
  private async statement(span: Span, contents: Catalog): Promise<void> {
    let analysed;
    try {
      const input = await predictInput(this.text(span), contents, this.parameters);
      analysed = await withCatalog(contents, (catalog) => analyseNext(this.sql, span.start, buildCatalog({ ...catalog, predictInput: input }), this.parameters));
    } catch (error) {
      record('refused', this.text(span));
      throw error;
    }
    const text = this.bytes.subarray(span.start, analysed.next).toString('utf8');
    const created = createdModel(analysed.statement as unknown as Record<string, unknown>);
    if (created) this.models.set(key(created.path), created.schema);
    const temporary = TEMP_TABLE.exec(text)?.[1];
    const columns = temporary ? definedColumns(analysed.statement) : undefined;
    if (temporary && columns) this.contents.temporary.unshift({ path: pathOf(temporary), columns });
    record('analysed', text);
  }

  /**
   * Analyses a script's steps as BigQuery runs them (a plain statement list too): each DECLARE adds its variable (typed by its type or its
   * DEFAULT) to what later statements see, each SET must assign a value of the variable's type, conditions must be
   * BOOL, and a loop's or IF's body is analysed once, in its own scope.
   */
  async steps(steps: readonly ScriptStep[], variables: Map<string, CatalogColumn>): Promise<void> {
    for (const step of steps) {
      const scope: Catalog = { ...this.contents, variables: [...variables.values()] };
      switch (step.kind) {
        case 'statement':
          await this.statement(step.span, scope);
          break;
        case 'declare': {
          const declared = step.type && (await this.expression(step, step.type, scope, undefined, 'CAST(NULL AS ', ')'));
          const type = step.value ? await this.expression(step, step.value, scope, declared) : declared;
          for (const name of step.names) variables.set(name.toLowerCase(), { name, type: declared ?? type! });
          record('analysed', this.text(step.span));
          break;
        }
        case 'set': {
          const variable = variables.get(step.name.toLowerCase());
          if (!variable) {
            record('refused', this.text(step.span));
            throw new AnalyserRefusal(`Undeclared variable: ${step.name} [at ${position(this.bytes, step.span.start)}]`);
          }
          await this.expression(step, step.value, scope, variable.type);
          record('analysed', this.text(step.span));
          break;
        }
        case 'condition':
          await this.expression({ span: step.value }, step.value, scope, { typeKind: 'TYPE_BOOL' });
          break;
        case 'block':
          await this.steps(step.body, new Map(variables));
          break;
        case 'unsupported':
          // analyseJob counts such a script parsed only and never gets here.
          throw new Error(`a script with ${step.what} cannot be analysed`);
      }
    }
  }

  // The type of the expression at `span`, written between `before` and `after` (a type in a CAST), coerced to `target`.
  private async expression(step: { span: Span }, span: Span, scope: Catalog, target?: TypeProto, before = '', after = ''): Promise<TypeProto> {
    const expression = `${before}${this.text(span)}${after}`;
    try {
      return await withCatalog(scope, (catalog) => analyseExpression(expression, buildCatalog(catalog), this.parameters, target));
    } catch (error) {
      if (!(error instanceof AnalyserRefusal)) throw error;
      record('refused', this.text(step.span));
      throw new AnalyserRefusal(relocated(error.message, this.bytes, span.start, EXPRESSION_PREFIX.length + before.length));
    }
  }
}

// `line:column` of a byte offset, as the analyser counts them (from 1).
function position(bytes: Buffer, at: number): string {
  const before = bytes.subarray(0, at).toString('utf8');
  const line = before.split('\n').length;
  return `${line}:${before.length - before.lastIndexOf('\n')}`;
}

// The analyser placed an expression's error within `SELECT expression`: placed within the script instead.
function relocated(message: string, bytes: Buffer, start: number, prefix: number): string {
  const [line, column] = position(bytes, start).split(':').map(Number) as [number, number];
  return message.replace(/\[at (\d+):(\d+)\]/g, (_, l: string, c: string) =>
    Number(l) === 1 ? `[at ${line}:${column + Math.max(0, Number(c) - 1 - prefix)}]` : `[at ${line + Number(l) - 1}:${c}]`,
  );
}

/**
 * Analyses a job's SQL, statement by statement, with its query parameters; a script's variables are declared to
 * the analyser as it goes, its temporary tables added to its catalog. A script with a construct the analyser cannot
 * follow (CALL, FOR … IN, EXECUTE IMMEDIATE …) is parsed whole and counted as parsed only.
 * @throws RefusedStatement with the analyser's message when GoogleSQL refuses a statement
 */
export async function analyseJob(
  sql: string,
  restParameters: readonly { name: string; parameterType: RestType }[],
  state: AnalysisState,
): Promise<JobEffects> {
  try {
    const parameters = restParameters.map((p) => ({ name: p.name, type: parameterType(p.parameterType) }));
    const named = new Map([...sql.matchAll(MODEL_PATH)].map((m) => pathOf(m[1] ?? '')).map((path) => [key(path), path]));
    const used = [...named].flatMap(([name, path]) => {
      const schema = state.models.get(name);
      return schema ? [{ path, schema }] : [];
    });
    const job = new JobAnalysis(sql, { tables: state.tables, temporary: [], models: used, state }, parameters);
    const steps = scriptSteps(
      await parseScript(sql).catch((error: unknown) => {
        record('refused', sql);
        throw error;
      }),
    );
    if (unsupportedStep(steps)) record('parsedOnly', sql);
    else await job.steps(steps, new Map());
    return { models: job.models };
  } catch (error) {
    if (error instanceof AnalyserRefusal) throw refusal(error);
    throw error;
  }
}
