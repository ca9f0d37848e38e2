import { snakeCaseKeys } from './json-keys.js';

// Text a terminal would act on instead of showing: C0 and C1 controls (ESC, BEL, CR, LF…), DEL, and the
// bidirectional overrides that reorder what is on screen. Names come from leads files, so any of them can be in one.
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const CONTROLS_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function visible(control: string): string {
  const code = control.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * The one escaping rule for human output: every control character becomes visible text (`\x1b`, `\x07`, `\x0a`), so
 * a name cannot colour the terminal, retitle it or break a table. `lines` keeps line feeds, for whole blocks of text.
 */
export function printable(text: string, lines = false): string {
  return text.replace(lines ? CONTROLS_BUT_NEWLINE : CONTROLS, visible);
}

/**
 * Writes a command's result: pure JSON on stdout with `--json`, its keys snake_case (nothing else goes to stdout then; its shape is
 * the command's schema in docs/json), otherwise the
 * human text, made {@link printable}. `styled` is for a command that escaped what it took from data itself and adds
 * terminal styling of its own. Progress and warnings go to stderr either way.
 */
export function emit(options: { readonly json: boolean }, json: unknown, text: () => string, styled = false): void {
  if (options.json) process.stdout.write(`${JSON.stringify(snakeCaseKeys(json), null, 2)}\n`);
  else process.stdout.write(`${styled ? text() : printable(text(), true)}\n`);
}

/** A note for humans on stderr (never mixed into `--json` output). */
export function note(message: string): void {
  process.stderr.write(`${printable(message, true)}\n`);
}

/** Aligns rows into columns; numbers right-aligned; every cell {@link printable}, so each row stays one line. */
export function table(header: readonly string[], body: readonly (readonly string[])[]): string {
  const rows = body.map((row) => row.map((cell) => printable(cell)));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => /^[-+]?[\d.,%]+$|^$/.test(r[i] ?? '')));
  const line = (cells: readonly string[]) =>
    cells.map((cell, i) => (numeric[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** A count or forecast for tables: whole numbers as is, others to one decimal, thousands separated. */
export function formatNumber(value: number | null, digits = 1): string {
  if (value === null || !Number.isFinite(value)) return '';
  return value.toLocaleString('en-US', { maximumFractionDigits: Number.isInteger(value) ? 0 : digits, minimumFractionDigits: Number.isInteger(value) ? 0 : digits });
}

/**
 * CSV of rows with a header, quoting per RFC 4180. A text cell a spreadsheet would run as a formula (starting with
 * `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`; numbers stay numbers, negative ones included.
 */
export function csv(header: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string {
  const cell = (value: string | number | null) => {
    const text = value === null ? '' : typeof value === 'number' ? String(value) : value.replace(/^[=+\-@\t\r]/, "'$&");
    return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return [header, ...rows].map((row) => row.map(cell).join(',')).join('\n');
}

/** Milliseconds per phase for people: `aggregate 123 ms, fit_mqls 2819 ms`. */
export function formatTimings(timings: Readonly<Record<string, number>>): string {
  return Object.entries(timings).map(([phase, ms]) => `${phase} ${Math.round(ms)} ms`).join(', ');
}

/** The phases' total in seconds, one decimal: `4.8`. */
export function totalSeconds(timings: Readonly<Record<string, number>>): string {
  return (Object.values(timings).reduce((a, b) => a + b, 0) / 1000).toFixed(1);
}
