/**
 * @funnelcast/lookml — generates the LookML project the BI team deploys, from core's declarations of the published
 * views. Pure: it returns files and compares them with what a caller read; only the CLI touches the disk.
 */
export { generateLookml } from './generate-lookml.js';
export { diffLookml, isInSync } from './diff-lookml.js';
