import { BigQuery, type BigQueryOptions } from '@google-cloud/bigquery';
import type { BigQueryTarget } from './leads-source.js';

/**
 * The client of a target: its project, location, endpoint and credentials (the key file, else `authClient`, else
 * Application Default Credentials).
 */
export function bigQueryClient(target: BigQueryTarget, authClient?: BigQueryOptions['authClient']): BigQuery {
  return new BigQuery({
    projectId: target.projectId,
    location: target.location,
    // Retries are ours (job-runner.ts): the client's own would double them and hide what was retried.
    autoRetry: false,
    ...(target.keyFilename === undefined ? {} : { keyFilename: target.keyFilename }),
    ...(target.apiEndpoint === undefined ? {} : { apiEndpoint: target.apiEndpoint }),
    ...(authClient === undefined ? {} : { authClient }),
  });
}
