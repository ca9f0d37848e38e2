/** The funnelcast CLI as a library: build the parser to embed or test it. */
export { buildCli } from './cli.js';
export { ExitCode, CommandFailure, exitCodeFor } from './exit-codes.js';
export { JSON_OUTPUTS, schemaFileName, type JsonOutputName } from './json/index.js';
export { jsonSchemaFiles, type SchemaFile } from './json/schema-files.js';
