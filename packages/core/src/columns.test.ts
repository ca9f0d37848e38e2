import { describe, expect, it } from 'vitest';
import { BACKING_TABLES, FORECAST_RUNS, MODEL_SELECTION, PUBLISHED_VIEWS, RELATIONS } from './columns.js';

describe('column declarations', () => {
  it.each(RELATIONS.map((r) => [r.name, r] as const))('%s: columns added later are nullable and come last', (_, relation) => {
    const added = relation.columns.map((c) => c.addedLater === true);
    const firstAdded = added.indexOf(true);
    if (firstAdded < 0) return;
    expect(added.slice(firstAdded).every(Boolean)).toBe(true);
    for (const column of relation.columns.filter((c) => c.addedLater)) expect(column.nullable, column.name).toBe(true);
  });

  it('adds warnings_json and the lease and request columns to forecast_runs as later columns', () => {
    expect(FORECAST_RUNS.columns.filter((c) => c.addedLater).map((c) => [c.name, c.type, c.nullable])).toEqual([
      ['warnings_json', 'STRING', true],
      ['owner', 'STRING', true],
      ['heartbeat_at', 'TIMESTAMP', true],
      ['request_id', 'STRING', true],
    ]);
  });

  it('publishes model_selection as a latest-run view over its own table, keyed within the run', () => {
    expect(PUBLISHED_VIEWS).toContain(MODEL_SELECTION);
    expect(BACKING_TABLES[MODEL_SELECTION.name]).toBe('model_selection');
    expect(MODEL_SELECTION.columns.map((c) => [c.name, c.type, c.nullable])).toEqual([
      ['run_id', 'STRING', false],
      ['stage', 'STRING', false],
      ['super_segment', 'STRING', true],
      ['candidate', 'STRING', false],
      ['origins', 'INT64', false],
      ['wape', 'FLOAT64', true],
      ['pinball', 'FLOAT64', true],
      ['weight', 'FLOAT64', false],
      ['chosen', 'BOOL', false],
    ]);
    for (const key of MODEL_SELECTION.primaryKey) expect(MODEL_SELECTION.columns.map((c) => c.name)).toContain(key);
  });
});
