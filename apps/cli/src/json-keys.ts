// A camelCase identifier: what TypeScript objects use for keys. Anything else (snake_case, a warehouse column such
// as `Channel_Grouping_Name`, a BullMQ state) is already JSON's vocabulary and stays as it is.
const CAMEL_CASE = /^[a-z][a-zA-Z0-9]*$/;

/** `lower50` → `lower_50`, `ratioToV1` → `ratio_to_v1`, `asOf` → `as_of`: a digit run after a lowercase letter gets an underscore too. */
export function snakeCase(key: string): string {
  if (!CAMEL_CASE.test(key)) return key;
  return key.replace(/[A-Z]|(?<=[a-z])\d+/g, (part) => `_${part.toLowerCase()}`);
}

/**
 * The one naming of `--json` output: every key snake_case, like the warehouse's columns, whatever the TypeScript
 * object called it. Arrays and plain objects are walked; other values are kept.
 */
export function snakeCaseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeCaseKeys);
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [snakeCase(key), snakeCaseKeys(inner)]));
}
