import { ConfigError } from '@funnelcast/core';
import type { z } from 'zod';

/**
 * Parses a forecaster's options with its schema, throwing a {@link ConfigError} that lists every invalid option
 * (as `<forecaster>.<option>`), not just the first.
 */
export function parseOptions<S extends z.ZodType>(forecaster: string, schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    parsed.error.issues.map((issue) => ({
      where: [forecaster, ...issue.path.map(String)].join('.'),
      message: issue.message,
    })),
    `Invalid options for the ${forecaster} forecaster:`,
  );
}
