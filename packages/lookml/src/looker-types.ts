import type { ColumnType } from '@funnelcast/core';

/** How one warehouse column type becomes a LookML field. */
export interface LookerType {
  /** `dimension` or a time `dimension_group`. */
  readonly field: 'dimension' | 'dimension_group';
  /** The LookML `type:` of the field. */
  readonly type: 'string' | 'number' | 'time' | 'yesno';
  /** For time groups: the `datatype:` Looker needs to generate the right SQL. */
  readonly datatype?: 'date' | 'timestamp';
  /** For time groups: the timeframes offered. */
  readonly timeframes?: readonly string[];
}

const DATE_TIMEFRAMES = ['raw', 'date', 'week', 'month', 'quarter', 'year'] as const;

/** The one type table: every core column type → its LookML field (a test checks every `COLUMN_TYPES` entry). */
export const LOOKER_TYPES: Readonly<Record<ColumnType, LookerType>> = {
  STRING: { field: 'dimension', type: 'string' },
  INT64: { field: 'dimension', type: 'number' },
  FLOAT64: { field: 'dimension', type: 'number' },
  BOOL: { field: 'dimension', type: 'yesno' },
  DATE: { field: 'dimension_group', type: 'time', datatype: 'date', timeframes: DATE_TIMEFRAMES },
  TIMESTAMP: { field: 'dimension_group', type: 'time', datatype: 'timestamp', timeframes: ['raw', 'time', ...DATE_TIMEFRAMES.slice(1)] },
};
