import { z } from 'zod';
import { parseAllowList } from './outbound-allow-list';

function allowListProblem(text: string): string | null {
  try {
    parseAllowList(text);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * Every environment variable the api and worker read. The README's configuration table is
 * generated from the `describe()` texts here (see test/unit/config/readme-table.spec.ts), and
 * docker-compose.yml is cross-checked against the keys.
 */
const port = z.coerce
  .number()
  .int('must be an integer')
  .min(1, 'must be between 1 and 65535')
  .max(65535, 'must be between 1 and 65535');
const bool = z
  .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1');
const duration = z.string().regex(/^\d+(ms|s|m|h)$/, 'must be a duration such as 500ms, 30s, 5m or 1h');

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development').describe('Runtime mode.'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('pino log level for api and worker.'),
  DATABASE_URL: z
    .string({ message: 'is required (npm start sets it when it runs embedded PostgreSQL)' })
    .regex(/^postgres(ql)?:\/\/.+/, 'must be a postgres:// or postgresql:// URL')
    .describe(
      'PostgreSQL connection URL. Unset under `npm start`: embedded PostgreSQL under `.data/pg` is started and used.',
    ),
  DATABASE_POOL_SIZE: z.coerce
    .number()
    .int('must be an integer')
    .min(1)
    .max(200)
    .default(10)
    .describe('Connections per process.'),
  DATABASE_ACQUIRE_TIMEOUT: duration
    .default('3s')
    .describe(
      'How long a request waits for a free pool connection before it is answered 503 with Retry-After (instead of queueing without end).',
    ),
  DATABASE_STATEMENT_TIMEOUT: duration
    .default('30s')
    .describe(
      'PostgreSQL `statement_timeout` of every pooled connection: a statement running (or waiting on a lock) longer is cancelled (503 with Retry-After in the api).',
    ),
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT: duration
    .default('30s')
    .describe(
      'PostgreSQL `idle_in_transaction_session_timeout`: a connection that sits in an open transaction without a statement this long is closed, releasing its locks.',
    ),
  TEMPORAL_ADDRESS: z
    .string({ message: 'is required (npm start sets it when it runs the Temporal dev server)' })
    .regex(/^[^:\s]+:\d+$/, 'must be host:port')
    .describe(
      'Temporal frontend host:port. Unset under `npm start`: `temporal server start-dev` is started on 127.0.0.1:7233.',
    ),
  TEMPORAL_NAMESPACE: z.string().min(1, 'must not be empty').default('default').describe('Temporal namespace.'),
  TEMPORAL_TASK_QUEUE: z
    .string()
    .min(1, 'must not be empty')
    .default('campaigns')
    .describe('Task queue the worker polls and the api starts workflows on.'),
  TEMPORAL_UI_URL: z
    .url({ message: 'must be an absolute URL' })
    .default('http://127.0.0.1:8233')
    .describe(
      'Base URL of the Temporal Web UI, for links from the admin inspection timeline (`npm start` serves it on TEMPORAL_UI_PORT).',
    ),
  API_HOST: z.string().min(1).default('127.0.0.1').describe('Interface the api listens on (0.0.0.0 in containers).'),
  API_PORT: port.default(3000).describe('HTTP port of the api.'),
  PUBLIC_BASE_URL: z
    .url({ message: 'must be an absolute URL' })
    .optional()
    .describe('Base URL used in links inside notices; defaults to http://API_HOST:API_PORT.'),
  WORKFLOW_UPDATE_TIMEOUT: duration
    .default('4s')
    .describe(
      "Deadline of one Update to a unit's workflow from the api (submit, review, extend, waive; normally tens of ms), counted for a submit or a review from the start of its work, so time spent waiting for a database connection counts against it: past it the api answers 503 with Retry-After, a retry with the same Idempotency-Key gets the workflow's first answer, and the reconciler settles what is not retried.",
    ),
  SUBMISSION_RECONCILE_INTERVAL: duration
    .default('30s')
    .describe(
      "How often the api repairs submissions whose workflow step moved on (or whose submit was left half-done) from the workflow's own state; 0s turns the timer off.",
    ),
  WORKER_SHUTDOWN_GRACE: duration
    .default('30s')
    .describe('How long the worker waits for running activities to finish on shutdown.'),
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce
    .number()
    .int()
    .min(1)
    .max(10000)
    .default(100)
    .describe('Activity slots per worker.'),
  WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES: z.coerce
    .number()
    .int()
    .min(1)
    .max(10000)
    .default(100)
    .describe(
      "Local activity slots per worker (the unit workflows' read-model writes and notice records run as local activities inside their workflow task; each holds a database connection while it writes).",
    ),
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce
    .number()
    .int()
    .min(2)
    .max(10000)
    .default(40)
    .describe(
      'Workflow tasks a worker holds at once (they run on one workflow thread: more only queue inside the process, where their schedule-to-start clock keeps running).',
    ),
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce
    .number()
    .int()
    .min(0)
    .max(1000000)
    .optional()
    .describe(
      "Workflows a worker keeps in memory between their tasks (sticky cache; an evicted one is replayed from its history on its next task); unset: the SDK's default from the heap size (≈ 600 per GB).",
    ),
  WORKER_STICKY_QUEUE_TIMEOUT: duration
    .default('30s')
    .describe(
      "How long a workflow's next task waits on its worker's sticky queue before the server times it out and moves it to the shared queue (a workflow task timeout in its history). The SDK's 10s was exceeded by one busy worker in a notice burst. After a crash only the tasks already on the dead worker's queue wait this long: the server sends new ones to the shared queue once the worker has not polled for 10 s.",
    ),
  CYCLE_FANOUT_IN_FLIGHT: z.coerce
    .number()
    .int()
    .min(1)
    .max(10000)
    .default(200)
    .describe(
      "Workflow starts and signals a worker's cycle coordinator batches have in flight at once, whatever the number of batches running (more only queue inside the Temporal server; raise it with the cluster).",
    ),
  SMTP_HOST: z
    .string()
    .min(1)
    .optional()
    .describe(
      'SMTP server for e-mail notices; unset: e-mail deliveries go to the dead-letter list with "SMTP_HOST is not set".',
    ),
  SMTP_PORT: port.default(25).describe('SMTP port (465 with SMTP_SECURE=true, 587/25 with STARTTLS).'),
  SMTP_SECURE: bool
    .default(false)
    .describe('true: TLS from the first byte (port 465); false: plain, upgraded by STARTTLS when offered.'),
  SMTP_USER: z.string().min(1).optional().describe('SMTP login user; unset: no authentication.'),
  SMTP_PASSWORD: z
    .string()
    .optional()
    .describe('SMTP login password (secret: set it in the environment, never in git).'),
  SMTP_MAX_CONNECTIONS: z.coerce
    .number()
    .int()
    .min(1)
    .max(50)
    .default(4)
    .describe('Pooled SMTP connections per worker, reused across messages (a burst opens at most this many).'),
  MAIL_FROM: z
    .string()
    .min(3)
    .default('教工委办公室 <noreply@campaigns.local>')
    .describe('From header of e-mail notices.'),
  NOTICE_OFFICE_EMAILS: z
    .string()
    .default('')
    .describe(
      'Comma-separated e-mail addresses of the committee office for office notices: added to the contacts of the root unit of kind office, or, when the tree has none, the office notices go to them (and the office inbox).',
    ),
  NOTICE_DISPATCH: bool
    .default(true)
    .describe(
      'Whether the worker runs the outbox dispatchers that send notices: per channel, due `notice_delivery` rows claimed with FOR UPDATE SKIP LOCKED and sent at the channel rate (docs/NOTIFICATIONS.md).',
    ),
  NOTICE_POLL_INTERVAL: duration
    .default('5s')
    .describe(
      'How often an idle outbox dispatcher looks for due deliveries besides being woken by LISTEN/NOTIFY (retry backoff, quiet hours, a lost wake-up).',
    ),
  NOTICE_WORKERS: bool
    .default(true)
    .describe(
      'Whether the worker also polls the per-channel notice task queues (<TEMPORAL_TASK_QUEUE>-notices-<channel>) where deliverNotice runs for unit workflow runs recorded before the outbox dispatcher and for older retries.',
    ),
  NOTICE_WORKER_CONCURRENCY: z.coerce
    .number()
    .int()
    .min(1)
    .max(200)
    .default(4)
    .describe(
      'Concurrent deliveries per channel, per worker process, for the dispatcher and for the channel task queue each (each holds a database connection while it sends).',
    ),
  NOTICE_RATE_EMAIL: z.coerce
    .number()
    .positive('must be > 0')
    .default(10)
    .describe('E-mails per second across all workers (a token bucket in PostgreSQL shared by every worker replica).'),
  NOTICE_RATE_WECOM: z.coerce
    .number()
    .positive('must be > 0')
    .default(0.3)
    .describe('WeCom robot messages per second (a robot accepts 20 per minute).'),
  NOTICE_RATE_DINGTALK: z.coerce
    .number()
    .positive('must be > 0')
    .default(0.3)
    .describe('DingTalk robot messages per second (a robot accepts 20 per minute).'),
  NOTICE_RATE_WEBHOOK: z.coerce
    .number()
    .positive('must be > 0')
    .default(20)
    .describe('Generic webhook posts per second.'),
  NOTICE_RATE_INBOX: z.coerce.number().positive('must be > 0').default(200).describe('In-app inbox writes per second.'),
  NOTICE_MAX_ATTEMPTS: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(8)
    .describe('Attempts of a transiently failing delivery before it goes to the dead-letter list.'),
  NOTICE_FAULT_INJECTION: z
    .enum(['off', 'kill-after-commit', 'kill-before-commit'])
    .default('off')
    .describe(
      'Tests only: SIGKILL the worker right after an e-mail was accepted by SMTP (after / before the database commit).',
    ),
  OUTBOUND_ALLOW_HOSTS: z
    .string()
    .default('')
    .refine((v) => allowListProblem(v) === null, {
      message: 'must be comma-separated host names, IP addresses or CIDRs (e.g. robot.intranet, 10.20.0.0/16)',
    })
    .describe(
      'Comma-separated host names, IP addresses or CIDRs that webhook / WeCom / DingTalk notices may reach although they are loopback, private or link-local (intranet robots, test receivers). Empty: public addresses only.',
    ),
  JWT_SECRET: z
    .string()
    .min(32, 'must be at least 32 characters')
    .optional()
    .describe(
      'HMAC secret signing login tokens (JWT). Required in production; in development/test a random per-process secret is used (with a warning), so tokens die on restart.',
    ),
  JWT_TTL: duration.default('8h').describe('Lifetime of a login token, e.g. 8h or 30m.'),
  BOOTSTRAP_ADMIN_EMAIL: z
    .email({ message: 'must be an e-mail address' })
    .optional()
    .describe(
      'At first start, if no office_admin exists, one is created with this e-mail (with BOOTSTRAP_ADMIN_PASSWORD).',
    ),
  BOOTSTRAP_ADMIN_PASSWORD: z
    .string()
    .min(12, 'must be at least 12 characters')
    .optional()
    .describe('Password of the bootstrap office admin (only read while no office_admin exists).'),
  ATTACHMENT_DIR: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Directory for submission attachments on local disk; default `<DATA_DIR>/attachments` (DATA_DIR defaults to `.data`).',
    ),
  ATTACHMENT_MAX_BYTES: z.coerce
    .number()
    .int('must be an integer')
    .min(1)
    .default(20 * 1024 * 1024)
    .describe('Largest accepted attachment, in bytes (default 20 MiB).'),
  ATTACHMENT_MIME_TYPES: z
    .string()
    .default(
      'application/pdf,image/png,image/jpeg,text/plain,text/markdown,application/vnd.openxmlformats-officedocument.wordprocessingml.document,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    )
    .describe('Comma-separated MIME types accepted for attachments.'),
});

export type Env = z.infer<typeof envSchema>;

/** '30s' → 30000 (the duration format of this schema). */
export function durationMs(value: string): number {
  const m = /^(\d+)(ms|s|m|h)$/.exec(value);
  if (!m) throw new Error(`bad duration ${value}`);
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
}

/** Variables read only by `npm start` / `npm test` (scripts/), not by the apps. */
export const launcherVariables = {
  DATA_DIR: 'Where `npm start` keeps embedded PostgreSQL and Temporal data (default `.data`).',
  EMBEDDED_PG_PORT: 'Port of the embedded PostgreSQL (default 54329).',
  TEMPORAL_PORT: 'Port of the Temporal dev server when TEMPORAL_ADDRESS is unset (default 7233).',
  TEMPORAL_UI_PORT: 'Port of the Temporal Web UI of the dev server (default 8233).',
} as const;

/**
 * Validates `raw` and returns typed config, or throws an Error whose message is one line per problem:
 * `API_PORT: must be between 1 and 65535 (got "70000")`.
 */
export function validateEnv(raw: Record<string, unknown>): Env {
  const result = envSchema.safeParse(raw);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '(root)');
    const got = raw[key];
    const shown =
      got === undefined ? 'unset' : `got ${JSON.stringify(key.match(/PASS|SECRET|URL/) ? redact(String(got)) : got)}`;
    return `${key}: ${issue.message} (${shown})`;
  });
  throw new ConfigurationError(lines);
}

export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigurationError';
  }
}

function redact(value: string): string {
  return value.replace(/\/\/([^:/@]+):([^@]+)@/, '//$1:***@');
}
