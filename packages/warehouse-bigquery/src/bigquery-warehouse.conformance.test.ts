import { describeWarehouseConformance } from '@funnelcast/warehouse-conformance';
import { bigQueryConformanceSetup } from './testing/bigquery-conformance-setup.js';
import { startFakeBigQuery } from './testing/fake-bigquery.js';
import { fakeTarget, fixedTokenClient } from './testing/open-fake-warehouse.js';

// The real client against a fresh local test server per test, wired exactly as the live check wires a real project.
describeWarehouseConformance(
  'bigquery (local fake endpoint)',
  bigQueryConformanceSetup(async () => {
    const fake = await startFakeBigQuery();
    return {
      target: fakeTarget(fake),
      options: { authClient: fixedTokenClient(), retry: { sleep: async () => undefined } },
      release: () => fake.close(),
    };
  }),
);
