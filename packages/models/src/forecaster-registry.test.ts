import { ConfigError } from '@funnelcast/core';
import { describe, expect, it } from 'vitest';
import { createForecaster, EMBEDDED_MODELS } from './forecaster-registry.js';
import { catchError } from './testing/catch-error.js';

describe('createForecaster', () => {
  it('builds every embedded model under its own name', () => {
    expect(EMBEDDED_MODELS).toEqual(['mstl-ets', 'v3-ridge', 'seasonal-naive', 'v1-auto-arima']);
    for (const name of EMBEDDED_MODELS) expect(createForecaster(name).name).toBe(name);
  });

  it('names the allowed values when the model is unknown', () => {
    for (const name of ['arima-plus', 'toString']) {
      const error = catchError(() => createForecaster(name));
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toContain('allowed: mstl-ets, v3-ridge, seasonal-naive, v1-auto-arima');
    }
  });
});
