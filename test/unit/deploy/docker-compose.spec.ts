import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { envSchema, validateEnv } from '../../../libs/config/src/env.schema';
import { repoRoot } from '../../support/paths';

/**
 * No Docker engine runs here, so docker-compose.yml is checked by reading it: the services exist, their wiring
 * agrees, and the environment of api and worker passes the apps' own configuration schema.
 */
const compose = parse(readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8'), { merge: true });
const services = compose.services as Record<string, any>;

/** Docker Compose interpolation for the forms used in the file: ${VAR}, ${VAR:-default}, ${VAR:?error}. */
function interpolate(value: string, vars: Record<string, string>): string {
  return value.replace(/\$\{(\w+)(?::([-?])([^}]*))?\}/g, (_m, name: string, op?: string, arg?: string) => {
    if (vars[name] !== undefined) return vars[name];
    if (op === '-') return arg ?? '';
    throw new Error(`compose needs ${name}: ${arg}`);
  });
}

const secrets = { JWT_SECRET: 'x'.repeat(48), BOOTSTRAP_ADMIN_PASSWORD: 'correct horse battery staple' };
const envOf = (service: string, vars: Record<string, string> = secrets) =>
  Object.fromEntries(
    Object.entries(services[service].environment as Record<string, string>).map(([k, v]) => [
      k,
      interpolate(String(v), vars),
    ]),
  );

describe('docker-compose.yml', () => {
  it('has the production-shaped services', () => {
    expect(Object.keys(services).sort()).toEqual([
      'api',
      'mailpit',
      'migrate',
      'postgres',
      'temporal',
      'temporal-setup',
      'temporal-ui',
      'worker',
    ]);
    for (const app of ['api', 'worker', 'migrate']) expect(services[app].build).toBe('.');
    expect(existsSync(join(repoRoot, 'Dockerfile'))).toBe(true);
  });

  it('gives api and worker only variables the configuration schema knows, and every required one', () => {
    const known = Object.keys(envSchema.shape);
    const required = known.filter((k) => !(envSchema.shape as any)[k].safeParse(undefined).success);
    for (const app of ['api', 'worker']) {
      const env = envOf(app);
      expect(Object.keys(env).filter((k) => !known.includes(k))).toEqual([]);
      expect(required.filter((k) => !(k in env))).toEqual([]);
      expect(() => validateEnv(env)).not.toThrow();
    }
  });

  it('refuses to start without the secrets instead of shipping defaults', () => {
    expect(() => envOf('api', {})).toThrow(/compose needs JWT_SECRET/);
  });

  it('wires api and worker to the postgres, temporal and mailpit services', () => {
    const pg = services.postgres.environment;
    for (const app of ['api', 'worker', 'migrate']) {
      const url = new URL(envOf(app).DATABASE_URL);
      expect([url.hostname, url.port, url.username, decodeURIComponent(url.password), url.pathname]).toEqual([
        'postgres',
        '5432',
        pg.POSTGRES_USER,
        interpolate(pg.POSTGRES_PASSWORD, {}),
        `/${pg.POSTGRES_DB}`,
      ]);
    }
    for (const app of ['api', 'worker']) {
      const env = envOf(app);
      expect(env.TEMPORAL_ADDRESS).toBe('temporal:7233');
      expect(services.temporal.ports).toContain('7233:7233');
      expect(env.SMTP_HOST).toBe('mailpit');
      expect(services.mailpit.ports).toContain(`${env.SMTP_PORT}:${env.SMTP_PORT}`);
    }
    expect(services['temporal-ui'].environment.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(services.temporal.environment).toMatchObject({
      DB: 'postgres12',
      POSTGRES_SEEDS: 'postgres',
      POSTGRES_USER: pg.POSTGRES_USER,
    });
  });

  it('publishes the api on the port it listens on, on all interfaces', () => {
    const env = envOf('api');
    expect(env.API_HOST).toBe('0.0.0.0');
    expect(services.api.ports).toEqual([`${env.API_PORT}:${env.API_PORT}`]);
    expect(services.api.command).toEqual(['node', '--enable-source-maps', 'dist/apps/api/src/main.js']);
    expect(services.worker.command).toEqual(['node', '--enable-source-maps', 'dist/apps/worker/src/main.js']);
  });

  it('restarts api and worker after a crash, and checks their health with commands that work in the image', () => {
    for (const app of ['api', 'worker']) {
      expect(services[app].restart).toBe('unless-stopped');
      expect(services[app].healthcheck.test[0]).toBe('CMD');
      expect(services[app].healthcheck).toMatchObject({
        interval: expect.any(String),
        retries: expect.any(Number),
        start_period: expect.any(String),
      });
    }
    expect(services.api.healthcheck.test.join(' ')).toContain(`http://127.0.0.1:${envOf('api').API_PORT}/health`);
    // The worker has no port: its health command reads its heartbeat row. The script is compiled into the image's dist/.
    const [, node, script] = services.worker.healthcheck.test;
    expect([node, script]).toEqual(['node', 'dist/apps/worker/src/healthcheck.js']);
    expect(existsSync(join(repoRoot, script.replace(/^dist\//, '').replace(/\.js$/, '.ts')))).toBe(true);
    expect(readFileSync(join(repoRoot, 'Dockerfile'), 'utf8')).toMatch(/COPY --from=build \/app\/dist \.\/dist/);
  });

  it('lets the worker scale (`--scale worker=3`): no fixed container name, no published port', () => {
    expect(services.worker.container_name).toBeUndefined();
    expect(services.worker.ports).toBeUndefined();
    // Replicas share the task queues: the same TEMPORAL_TASK_QUEUE for all of them.
    expect(envOf('worker').TEMPORAL_TASK_QUEUE).toBe(envOf('api').TEMPORAL_TASK_QUEUE);
  });
});
