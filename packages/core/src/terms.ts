/**
 * The part of @funnelcast/core a command line needs to describe itself and report: the vocabulary, dates, column
 * declarations, errors, landings and the model-selection names — without the config schema, so importing it does not load zod. A cold
 * `funnelcast --help` loads this entry only; the commands load the whole core when they run.
 */
export * from './vocabulary.js';
export * from './dates.js';
export * from './columns.js';
export * from './errors.js';
export * from './landings.js';
export * from './model-selection.js';
