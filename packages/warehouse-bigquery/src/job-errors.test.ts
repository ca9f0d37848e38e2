import { ConfigError, EnvironmentError, InputError, TransientError } from '@funnelcast/core';
import { describe, expect, it } from 'vitest';
import { environmentFault, isTransient, toDomainError, TRANSIENT_REASONS } from './job-errors.js';

const apiError = (code: number, reason: string) => Object.assign(new Error(`${reason} happened`), { code, errors: [{ reason, message: reason }] });

describe('BigQuery job errors', () => {
  it.each([...TRANSIENT_REASONS])('treats reason %s as transient', (reason) => {
    expect(isTransient(apiError(400, reason))).toBe(true);
    expect(toDomainError(apiError(400, reason), 'query')).toBeInstanceOf(TransientError);
  });

  it.each([429, 500, 503])('treats HTTP %i as transient', (status) => {
    expect(toDomainError(Object.assign(new Error('busy'), { code: status }), 'query')).toBeInstanceOf(TransientError);
  });

  it.each(['ECONNRESET', 'ETIMEDOUT'])('treats socket error %s as transient', (code) => {
    expect(toDomainError(Object.assign(new Error('socket'), { code }), 'query')).toBeInstanceOf(TransientError);
  });

  it('maps a rejected query to InputError and a missing or forbidden resource to ConfigError, with the message', () => {
    const invalid = toDomainError(apiError(400, 'invalidQuery'), 'query');
    expect(invalid).toBeInstanceOf(InputError);
    expect(String(invalid)).toContain('invalidQuery happened');
    expect(toDomainError(apiError(404, 'notFound'), 'query')).toBeInstanceOf(ConfigError);
    expect(toDomainError(apiError(403, 'accessDenied'), 'query')).toBeInstanceOf(ConfigError);
    expect(toDomainError(apiError(400, 'bytesBilledLimitExceeded'), 'query')).toBeInstanceOf(ConfigError);
  });

  it('passes errors that are not BigQuery API errors through unchanged', () => {
    const bug = new TypeError('x is undefined');
    expect(toDomainError(bug, 'query')).toBe(bug);
    expect(isTransient(bug)).toBe(false);
  });

  describe('environment faults, each naming its fix', () => {
    const fetchError = (code: string, host: string) =>
      Object.assign(new Error(`request to http://${host}/bigquery/v2/projects/p/jobs failed, reason: getaddrinfo ${code} ${host}`), { name: 'FetchError', code });

    it('a name that does not resolve: EnvironmentError naming the host, the network, a proxy and apiEndpoint', () => {
      const fault = toDomainError(fetchError('ENOTFOUND', 'funnelcast-nonexistent.invalid'), 'query');
      expect(fault).toBeInstanceOf(EnvironmentError);
      expect(String(fault)).toMatch(/funnelcast-nonexistent\.invalid does not resolve \(ENOTFOUND\).*HTTPS_PROXY.*apiEndpoint/);
    });

    it.each(['EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET'])('%s may pass: TransientError (retried) naming the network and proxy', (code) => {
      const fault = toDomainError(fetchError(code, 'bigquery.googleapis.com'), 'query');
      expect(fault).toBeInstanceOf(TransientError);
      expect(String(fault)).toMatch(new RegExp(`Cannot reach BigQuery at bigquery\\.googleapis\\.com \\(${code}\\).*HTTPS_PROXY`));
    });

    it('missing Application Default Credentials: the gcloud login, keyFilename or GOOGLE_APPLICATION_CREDENTIALS', () => {
      const fault = environmentFault(new Error('Could not load the default credentials. Browse to https://cloud.google.com/docs/authentication/getting-started for more information.'));
      expect(fault).toBeInstanceOf(EnvironmentError);
      expect(String(fault)).toMatch(/gcloud auth application-default login.*keyFilename.*GOOGLE_APPLICATION_CREDENTIALS/);
    });

    it('an unreadable key file: names the file and keyFilename', () => {
      const missing = Object.assign(new Error("ENOENT: no such file or directory, open '/keys/sa.json'"), { code: 'ENOENT', path: '/keys/sa.json' });
      const fault = environmentFault(missing, { keyFilename: '/keys/sa.json' });
      expect(fault).toBeInstanceOf(EnvironmentError);
      expect(String(fault)).toContain('Cannot read the key file /keys/sa.json (ENOENT): fix keyFilename in the target');
      expect(environmentFault(new SyntaxError('Unexpected token n in JSON'), { keyFilename: '/keys/sa.json' })?.message).toContain('not a Google credentials JSON file');
      expect(environmentFault(new Error('private_key and client_email are required.'), { keyFilename: '/keys/sa.json' })?.message).toBe(
        'Cannot read the key file /keys/sa.json (not a Google credentials JSON file: private_key and client_email are required.): fix keyFilename in the target, or download a new service-account key there.',
      );
    });

    it('refused credentials (invalid_grant, 401): the login again, or the key file to replace', () => {
      const grant = Object.assign(new Error('Error code invalid_grant: Token has been expired or revoked.'), {
        code: 400,
        response: { data: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' } },
      });
      expect(toDomainError(grant, 'query')).toBeInstanceOf(EnvironmentError);
      expect(String(toDomainError(grant, 'query'))).toContain('(invalid_grant: Token has been expired or revoked.): run `gcloud auth application-default login` again');
      const unauthorized = Object.assign(new Error('Invalid Credentials'), { code: 401, errors: [{ reason: 'authError', message: 'Invalid Credentials' }] });
      expect(String(toDomainError(unauthorized, 'query', { keyFilename: '/keys/sa.json' }))).toContain('replace the key file /keys/sa.json');
    });
  });
});
