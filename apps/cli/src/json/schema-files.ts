import { z } from 'zod';
import { JSON_OUTPUTS, schemaFileName, type JsonOutputName } from './index.js';

/** A generated schema file of docs/json. */
export interface SchemaFile {
  readonly path: string;
  readonly contents: string;
}

/** The JSON Schema (draft 2020-12) of every `--json` output, as the files of docs/json. */
export function jsonSchemaFiles(): SchemaFile[] {
  return (Object.keys(JSON_OUTPUTS) as JsonOutputName[]).map((name) => {
    const { $schema, ...schema } = z.toJSONSchema(JSON_OUTPUTS[name]);
    const title = name === 'error' ? 'funnelcast <any command> --json, on failure' : `funnelcast ${name} --json`;
    return {
      path: schemaFileName(name),
      contents: `${JSON.stringify({ $schema, title, ...schema }, null, 2)}\n`,
    };
  });
}
