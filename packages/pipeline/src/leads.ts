import { ConfigError, resolveTarget, type FunnelcastConfig, type IsoDate } from '@funnelcast/core';
import type { DemoProfile } from '@funnelcast/demo';
import type { DuckDbWarehouse, ImportPhase, ImportSummary } from '@funnelcast/warehouse-duckdb';
import { openDuckDb } from './open-warehouse.js';
import type { ProgressListener } from './progress.js';

/** Leads are loaded only into the embedded warehouse; BigQuery reads them where they already are. */
async function withEmbedded<T>(config: FunnelcastConfig, targetName: string | undefined, work: (w: DuckDbWarehouse) => Promise<T>): Promise<T> {
  const { name, target } = resolveTarget(config, targetName);
  if (target.type !== 'duckdb') {
    throw new ConfigError([
      { where: `targets.${name}`, message: `is a ${target.type} target: funnelcast reads its leads from targets.${name}.leads and imports nothing into it` },
    ]);
  }
  const warehouse = await openDuckDb(config, target.path, 'create');
  try {
    await warehouse.ensureSchema();
    return await work(warehouse);
  } finally {
    await warehouse.close();
  }
}

/** Options of {@link importLeadsFile}. */
export interface ImportOptions {
  readonly target?: string;
  /** Replace every lead instead of adding to them. @defaultValue false */
  readonly replace?: boolean;
  /** Add new lead ids and overwrite the leads whose id is already there. @defaultValue false */
  readonly upsert?: boolean;
  /** A strptime format (`%d/%m/%Y`) the file's dates may be written in besides ISO. */
  readonly dateFormat?: string;
  /** Told as the import reads, checks and writes the file (`done` is the rows so far). */
  readonly onProgress?: ProgressListener;
}

const IMPORT_STEPS: Record<ImportPhase, number> = { read: 0, check: 1, write: 2 };

/**
 * Imports a leads file (CSV or Parquet) into the embedded warehouse. Every problem in the file is reported and
 * nothing is imported when there is one.
 */
export async function importLeadsFile(config: FunnelcastConfig, file: string, options: ImportOptions = {}): Promise<ImportSummary> {
  const { onProgress } = options;
  return withEmbedded(config, options.target, (warehouse) =>
    warehouse.importLeads(file, {
      replace: options.replace ?? false,
      upsert: options.upsert ?? false,
      dateFormat: options.dateFormat,
      onPhase: onProgress && ((phase, rows) => onProgress({ phase: `import_${phase}`, done: IMPORT_STEPS[phase], total: 3, message: importMessage(phase, rows) })),
    }),
  );
}

function importMessage(phase: ImportPhase, rows: number): string {
  const counted = `${rows.toLocaleString('en-US')} ${rows === 1 ? 'row' : 'rows'}`;
  if (phase === 'read') return 'Reading the file';
  return phase === 'check' ? `Checking ${counted} against the leads contract` : `Writing ${counted}`;
}

/** Options of {@link seedDemo}. */
export interface DemoSeedOptions {
  readonly target?: string;
  /** @defaultValue 42 */
  readonly seed?: number;
  /** Leads are dated before this day. */
  readonly end: IsoDate;
  /** @defaultValue `small` (the seed's size: about 6 MQLs and 2 SQLs a day) */
  readonly profile?: DemoProfile;
}

/** What {@link seedDemo} loaded. */
export interface DemoSeedSummary {
  readonly leads: number;
  readonly sqls: number;
  readonly sqos: number;
  readonly combinations: number;
  readonly firstDate: IsoDate;
  readonly end: IsoDate;
}

/** Generates the demo data set and loads it into the embedded warehouse, replacing any leads there. */
export async function seedDemo(config: FunnelcastConfig, options: DemoSeedOptions): Promise<DemoSeedSummary> {
  const { generateLeads } = await import('@funnelcast/demo');
  const leads = generateLeads({ seed: options.seed ?? 42, end: options.end, profile: options.profile ?? 'small' });
  await withEmbedded(config, options.target, (warehouse) => warehouse.insertLeads(leads, { replace: true }));
  const combinations = new Set(leads.map((lead) => `${lead.channel_grouping_name}\u001f${lead.original_source}`));
  return {
    leads: leads.length,
    sqls: leads.filter((lead) => lead.sql_date !== null).length,
    sqos: leads.filter((lead) => lead.sqo_date !== null).length,
    combinations: combinations.size,
    firstDate: leads.reduce((min, lead) => (lead.mql_date < min ? lead.mql_date : min), options.end),
    end: options.end,
  };
}
