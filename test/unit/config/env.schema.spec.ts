import { ConfigurationError, validateEnv } from '../../../libs/config/src/env.schema';

const valid = { DATABASE_URL: 'postgresql://u:p@127.0.0.1:5432/campaigns', TEMPORAL_ADDRESS: '127.0.0.1:7233' };

function problems(raw: Record<string, string>): string[] {
  try {
    validateEnv(raw);
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems;
    throw error;
  }
  return [];
}

describe('configuration schema', () => {
  it('fills defaults for everything optional', () => {
    const env = validateEnv(valid);
    expect(env).toMatchObject({
      API_PORT: 3000,
      API_HOST: '127.0.0.1',
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: 'campaigns',
      LOG_LEVEL: 'info',
      WORKER_SHUTDOWN_GRACE: '30s',
    });
  });

  it('names the variable and the problem, one line each', () => {
    expect(problems({ ...valid, API_PORT: '70000' })).toEqual(['API_PORT: must be between 1 and 65535 (got "70000")']);
    expect(problems({ ...valid, TEMPORAL_ADDRESS: 'localhost' })).toEqual([
      'TEMPORAL_ADDRESS: must be host:port (got "localhost")',
    ]);
    expect(problems({ ...valid, WORKER_SHUTDOWN_GRACE: 'soon' })).toEqual([
      'WORKER_SHUTDOWN_GRACE: must be a duration such as 500ms, 30s, 5m or 1h (got "soon")',
    ]);
  });

  it('reports a missing required variable without echoing secrets', () => {
    expect(problems({ TEMPORAL_ADDRESS: '127.0.0.1:7233' })).toEqual([
      'DATABASE_URL: is required (npm start sets it when it runs embedded PostgreSQL) (unset)',
    ]);
    expect(problems({ ...valid, DATABASE_URL: 'mysql://root:hunter2@db/x' })).toEqual([
      'DATABASE_URL: must be a postgres:// or postgresql:// URL (got "mysql://root:***@db/x")',
    ]);
  });
});
