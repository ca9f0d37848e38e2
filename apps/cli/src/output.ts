import type { GlobalOptions } from './context.js';

/**
 * Writes a command's result: pure JSON on stdout with `--json` (nothing else goes to stdout then), otherwise the
 * human text. Progress and warnings go to stderr either way.
 */
export function emit(options: GlobalOptions, json: unknown, text: () => string): void {
  process.stdout.write(options.json ? `${JSON.stringify(json, null, 2)}\n` : `${text()}\n`);
}

/** A note for humans on stderr (never mixed into `--json` output). */
export function note(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** Aligns rows into columns; numbers right-aligned. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
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

/** CSV of rows with a header, quoting per RFC 4180. */
export function csv(header: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string {
  const cell = (value: string | number | null) => {
    const text = value === null ? '' : String(value);
    return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return [header, ...rows].map((row) => row.map(cell).join(',')).join('\n');
}
