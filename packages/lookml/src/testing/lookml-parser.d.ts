// lookml-parser ships no types; this declares the slice the tests use.
declare module 'lookml-parser' {
  /** A file given in memory: `path` is how includes match it. */
  export interface SourceFile {
    readonly path: string;
    readonly content: string;
  }
  /** A parsed project: files by `<path without extension>.<type>`, models assembled from their includes. */
  export interface ParsedProject {
    readonly errors?: readonly { readonly $file_path: string; readonly error: unknown }[];
    readonly file: Record<string, Record<string, unknown>>;
    readonly manifest?: Record<string, unknown>;
    readonly model?: Record<string, Record<string, unknown>>;
  }
  /** Parses one LookML text; throws a plain object (with `toString()`) on a syntax error. */
  export function parse(text: string): Record<string, unknown>;
  /** Parses many files; each file's syntax error lands in `errors` rather than throwing. */
  export function parseFiles(options: {
    source: readonly SourceFile[];
    console?: { log(...args: unknown[]): void; warn(...args: unknown[]): void; error(...args: unknown[]): void };
    fileOutput?: 'by-name';
  }): Promise<ParsedProject>;
}
