/** The phases of a refresh, in order; each reports progress and gets a timing in the summary. */
export const REFRESH_PHASES = ['aggregate', 'fit_mqls', 'fit_sqls', 'distribute', 'validate', 'publish'] as const;

/** One phase of a refresh. */
export type RefreshPhase = (typeof REFRESH_PHASES)[number];

/** Progress of a long step: `done` of `total` units (series fitted, rows written…) in a phase. */
export interface ProgressEvent {
  readonly phase: string;
  readonly done: number;
  readonly total: number;
  readonly message?: string;
}

/** Receives progress; the CLI draws it, the worker forwards it to `job.updateProgress`. */
export type ProgressListener = (event: ProgressEvent) => void;
