import { ZetaSQLClient } from '@fivetrandevelopers/zetasql';
import type { LanguageOptionsProto } from '@fivetrandevelopers/zetasql/lib/types/zetasql/LanguageOptionsProto.js';
import type { AnalyzerOptionsProto } from '@fivetrandevelopers/zetasql/lib/types/zetasql/AnalyzerOptionsProto.js';
import type { SimpleCatalogProto } from '@fivetrandevelopers/zetasql/lib/types/zetasql/SimpleCatalogProto.js';
import type { TypeProto } from '@fivetrandevelopers/zetasql/lib/types/zetasql/TypeProto.js';
import type { AnyResolvedStatementProto__Output } from '@fivetrandevelopers/zetasql/lib/types/zetasql/AnyResolvedStatementProto.js';
import { BIGQUERY_OPTIONS } from './googlesql-options.js';
import { ADDRESS_VARIABLE } from './googlesql-server.js';

/**
 * The gRPC client of the GoogleSQL server (the package's own, one per process), with BigQuery's language settings:
 * every language feature the analyser has, external product mode (what Cloud customers get: no proto types, no
 * internal-only functions) and BigQuery's default, non-strict name resolution.
 */

export type { SimpleCatalogProto, TypeProto };

/** A query parameter as the analyser takes it: its name and GoogleSQL type. */
export interface AnalyserParameter {
  readonly name: string;
  readonly type: TypeProto;
}

/** A statement the analyser accepted, and where the next one of the script starts. */
export interface Analysed {
  readonly statement: AnyResolvedStatementProto__Output;
  readonly next: number;
}

/** An analyser refusal: its message, with the line and column (`[at 3:14]`). */
export class AnalyserRefusal extends Error {}

// A refusal comes back as a gRPC INVALID_ARGUMENT carrying the analyser's message.
async function refusing<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const grpc = error as { details?: string; message?: string };
    throw new AnalyserRefusal(grpc.details || grpc.message || String(error));
  }
}

const client = () => ZetaSQLClient.getInstance();

let connected: Promise<LanguageOptionsProto> | undefined;

// BigQuery's language: the maximum feature set, as Cloud customers get it.
function connect(): Promise<LanguageOptionsProto> {
  connected ??= (async () => {
    const address = process.env[ADDRESS_VARIABLE];
    if (!address) throw new Error(`${ADDRESS_VARIABLE} is not set: run the tests through vitest (its globalSetup starts the GoogleSQL server)`);
    ZetaSQLClient.init(Number(address.split(':').pop()));
    const maximum = await refusing(() => client().getLanguageOptions({ maximumFeatures: true }));
    return {
      ...maximum,
      productMode: 'PRODUCT_EXTERNAL',
      nameResolutionMode: 'NAME_RESOLUTION_DEFAULT',
      // Empty: every statement kind (DDL, DML, transactions, CREATE MODEL), not only queries.
      supportedStatementKinds: [],
    } satisfies LanguageOptionsProto;
  })();
  return connected;
}

const registered = new Map<string, Promise<string>>();

/**
 * Registers a catalog once per distinct content: analysing against a registered catalog takes milliseconds, sending
 * it with every statement a tenth of a second (the builtin functions are set up each time).
 */
async function catalogId(catalog: SimpleCatalogProto): Promise<string> {
  const language = await connect();
  const key = JSON.stringify(catalog);
  let id = registered.get(key);
  if (!id) {
    id = refusing(() => client().registerCatalog({ simpleCatalog: { ...catalog, builtinFunctionOptions: { languageOptions: language } } })).then(
      (response) => String(response?.registeredId),
    );
    registered.set(key, id);
  }
  return id;
}

async function analyserOptions(parameters: readonly AnalyserParameter[]): Promise<AnalyzerOptionsProto> {
  return {
    languageOptions: await connect(),
    queryParameters: parameters.map((p) => ({ name: p.name, type: p.type })),
    errorMessageMode: 'ERROR_MESSAGE_ONE_LINE',
    defaultTimezone: 'UTC',
    allowedHintsAndOptions: BIGQUERY_OPTIONS,
  };
}

/**
 * Analyses the statement of `script` starting at byte `position` against `catalog`.
 * @throws AnalyserRefusal with the analyser's message
 */
export async function analyseNext(
  script: string,
  position: number,
  catalog: SimpleCatalogProto,
  parameters: readonly AnalyserParameter[] = [],
): Promise<Analysed> {
  const options = await analyserOptions(parameters);
  const registeredCatalogId = await catalogId(catalog);
  const key = JSON.stringify([registeredCatalogId, script, position, parameters]);
  let analysed = analyses.get(key);
  if (!analysed) {
    analysed = refusing(() =>
      client().analyze({ options, registeredCatalogId, parseResumeLocation: { input: script, bytePosition: position, allowResume: true } }),
    ).then((response) => {
      if (!response?.resolvedStatement) throw new AnalyserRefusal('the analyser returned no statement');
      return { statement: response.resolvedStatement, next: response.resumeBytePosition };
    });
    analyses.set(key, analysed);
  }
  return analysed;
}

// The same statement with the same parameter types against the same catalog gets the same answer: a forecast
// sends one statement per horizon day, a publish one per chunk.
const analyses = new Map<string, Promise<Analysed>>();

/**
 * The type of an expression, analysed as `SELECT expression`; with `target`, coerced to it as an assignment is
 * (an INT64 to a FLOAT64 variable, a literal string to a DATE one; never a STRING to an INT64).
 * @throws AnalyserRefusal with the analyser's message, positions counted in `SELECT expression`
 */
export async function analyseExpression(
  expression: string,
  catalog: SimpleCatalogProto,
  parameters: readonly AnalyserParameter[],
  target?: TypeProto,
): Promise<TypeProto> {
  const options = { ...(await analyserOptions(parameters)), ...(target && { targetColumnTypes: [target] }) };
  const registeredCatalogId = await catalogId(catalog);
  const response = await refusing(() => client().analyze({ options, registeredCatalogId, sqlStatement: `${EXPRESSION_PREFIX}${expression}` }));
  const query = response?.resolvedStatement?.resolvedQueryStmtNode;
  const type = query?.outputColumnList[0]?.column?.type;
  if (!type) throw new AnalyserRefusal('the analyser returned no type for the expression');
  return type;
}

/** What {@link analyseExpression} writes before the expression. */
export const EXPRESSION_PREFIX = 'SELECT ';

/**
 * Parses a whole script, scripting statements (DECLARE, SET, loops) included.
 * @returns the parse tree (`ASTScriptProto`), which googlesql-script.ts reads into steps
 * @throws AnalyserRefusal with the parser's message
 */
export async function parseScript(script: string): Promise<unknown> {
  const options = await connect();
  const api = ZetaSQLClient.API;
  const response = await refusing(() => client().promisify({ sqlStatement: script, options, allowScript: true }, api.parse.bind(api)));
  return (response as { parsedScript?: unknown } | undefined)?.parsedScript;
}
