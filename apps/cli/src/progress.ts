import type { ProgressEvent } from '@funnelcast/pipeline';

const PHASE_LABELS: Record<string, string> = {
  aggregate: 'Aggregating history',
  fit_mqls: 'Fitting MQL models',
  fit_sqls: 'Fitting SQL model',
  distribute: 'Distributing to Channel × Source',
  validate: 'Validating',
  publish: 'Publishing',
};

/** A progress display on stderr: one redrawn bar on a terminal, one plain line per phase otherwise. */
export interface ProgressDisplay {
  readonly update: (event: ProgressEvent) => void;
  /** Clears the bar; call when the work ends, whether it succeeded or not. */
  readonly stop: () => void;
}

/** Creates the display for `stream` (stderr), quiet when `enabled` is false. */
export function createProgressDisplay(stream: NodeJS.WriteStream, enabled = true): ProgressDisplay {
  const tty = stream.isTTY === true;
  let phase = '';
  let drawn = false;
  const label = (p: string) => PHASE_LABELS[p] ?? p;
  return {
    update(event) {
      if (!enabled) return;
      // A phase that counts what it works on says so in its message ("Checking 50,000 rows …").
      const text = event.message ?? label(event.phase);
      if (!tty) {
        // Plain logs: one line when a phase starts, so CI logs stay short.
        if (event.phase !== phase) stream.write(`${text}…\n`);
        phase = event.phase;
        return;
      }
      phase = event.phase;
      const width = 24;
      const ratio = event.total > 0 ? Math.min(1, event.done / event.total) : 0;
      const filled = Math.round(ratio * width);
      const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
      stream.write(`\r\x1b[2K${text.padEnd(34)} ${bar} ${event.done}/${event.total}`);
      drawn = true;
    },
    stop() {
      if (drawn) stream.write('\r\x1b[2K');
      drawn = false;
    },
  };
}
