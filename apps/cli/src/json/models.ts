import { z } from 'zod';
import { MODEL_SELECTION } from '@funnelcast/core/terms';
import { relationRowSchema } from './relation-row.js';

/** `funnelcast models --json`: rows of the published model-selection view, under its column names. */
export const modelsJsonSchema = z
  .array(relationRowSchema(MODEL_SELECTION, [], {}))
  .describe(`funnelcast models --json: rows of ${MODEL_SELECTION.name}.`);
