/**
 * @funnelcast/lookml — generates the LookML project the BI team deploys, from core's declarations of the published
 * views. Pure: it returns files and compares them with what a caller read; only the CLI touches the disk.
 */
export { generateLookml, GENERATED_HEADER, LOOKML_PROJECT, type GeneratedFile } from './generate-lookml.js';
export { diffLookml, isInSync, type LookmlDrift } from './diff-lookml.js';
export { validateLookmlOptions, PROJECT_ID, type LookmlOptions } from './lookml-options.js';
export { LOOKER_TYPES, type LookerType } from './looker-types.js';
