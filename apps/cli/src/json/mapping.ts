import { z } from 'zod';
import { SEGMENT_MAPPING } from '@funnelcast/core/terms';
import { relationRowSchema } from './relation-row.js';

/** `funnelcast mapping --json`: rows of the published mapping view, under its column names. */
export const mappingJsonSchema = z
  .array(relationRowSchema(SEGMENT_MAPPING, [], {}))
  .describe(`funnelcast mapping --json: rows of ${SEGMENT_MAPPING.name}.`);
