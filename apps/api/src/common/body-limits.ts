import type { INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { json, raw, text, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { DomainError } from '../../../../libs/domain/src';
import { requestToken, type TokenClaims } from '../auth/bearer-auth.guard';
import { statusOf } from './domain-error.filter';

const KiB = 1024;
const MiB = 1024 * KiB;

interface BodyRule {
  method: string;
  /** Matched against the path without query string (global prefix included). */
  path: RegExp;
  limit: number;
  /** Office admins only, checked from the token's claims before a byte of the body is read. */
  officeAdminFirst?: boolean;
}

/**
 * Largest body per route, first match wins. Public routes (login, anonymous evaluation answers) get a few KiB, as
 * they are reachable by anyone before authentication; the big unit import is the only large one and reads its body
 * only after the token names an office admin (the guard still checks the account itself afterwards).
 */
export const BODY_RULES: BodyRule[] = [
  { method: 'POST', path: /^\/api\/auth\/login\/?$/, limit: 4 * KiB },
  { method: 'POST', path: /^\/api\/evaluations\/responses\/?$/, limit: 64 * KiB },
  { method: 'POST', path: /^\/api\/units\/import\/?$/, limit: 50 * MiB, officeAdminFirst: true },
  // a template document (JSON or YAML): stages, steps and texts; parse-template.ts caps the document itself further
  { method: '*', path: /^\/api\/templates(\/|$)/, limit: 2 * MiB },
];
/** Every other JSON body: drafts, plans, cycle starts… sized to real use with room to spare. */
export const DEFAULT_JSON_LIMIT = 1 * MiB;

/**
 * Bodies read here: JSON; text (CSV for the unit import, YAML for templates); an Excel workbook (the unit import).
 * Multipart belongs to its route (multer, ATTACHMENT_MAX_BYTES).
 */
const TEXT_TYPES = ['text/csv', 'application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'];
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const READ_TYPES = ['application/json', '+json', ...TEXT_TYPES, XLSX_TYPE];

const human = (bytes: number) => (bytes >= MiB ? `${bytes / MiB} MiB` : `${bytes / KiB} KiB`);

/**
 * Installs the body parsers with per-route limits, ahead of everything else (Nest's own default parser then finds
 * every body already read). A declared Content-Length over the limit is refused with 413 before reading; a chunked
 * body is cut off as soon as it passes the limit (Connection: close, the rest is never read). Malformed JSON is a
 * 400 in the api's error shape.
 */
export function installBodyLimits(app: INestApplication): void {
  const jwt = app.get(JwtService);
  const parsers = new Map<number, RequestHandler[]>();
  const parsersFor = (limit: number) => {
    if (!parsers.has(limit))
      parsers.set(limit, [json({ limit }), text({ type: TEXT_TYPES, limit }), raw({ type: XLSX_TYPE, limit })]);
    return parsers.get(limit)!;
  };
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (!req.is(READ_TYPES)) return next(); // no body, or one this middleware does not read
    const rule = BODY_RULES.find((r) => (r.method === '*' || r.method === req.method) && r.path.test(req.path));
    const limit = rule?.limit ?? DEFAULT_JSON_LIMIT;
    const where = `${req.method} ${req.path}`;
    if (rule?.officeAdminFirst && !officeAdminClaims(jwt, req, res)) return;
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) return tooLarge(res, limit, where);
    const [jsonParser, textParser, xlsxParser] = parsersFor(limit);
    const cutOff = watchLength(req, res, limit, where);
    const done = (error?: unknown) => {
      cutOff.stop();
      if (res.headersSent) return;
      if (!error) return next();
      const e = error as { status?: number; type?: string; message?: string };
      if (e.type === 'entity.too.large') return tooLarge(res, limit, where);
      if (e.status === 400)
        return answer(res, 400, 'VALIDATION_FAILED', `the request body is not valid JSON: ${e.message}`, [
          { field: 'body', problem: 'must be valid JSON' },
        ]);
      if (e.status && e.status < 500)
        return answer(res, e.status, 'UNSUPPORTED_MEDIA_TYPE', `the request body could not be read: ${e.message}`, [
          { field: 'body', problem: e.message ?? 'unreadable' },
        ]);
      next(error);
    };
    const then = (parser: RequestHandler, after: (error?: unknown) => void) => (error?: unknown) =>
      error ? done(error) : parser(req, res, after);
    jsonParser(req, res, then(textParser, then(xlsxParser, done)));
  });
}

/** Counts bytes as they arrive; past the limit it answers 413 at once and closes the connection. */
function watchLength(req: Request, res: Response, limit: number, where: string) {
  let seen = 0;
  const onData = (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > limit && !res.headersSent) {
      req.unpipe();
      req.pause();
      tooLarge(res, limit, where);
    }
  };
  req.on('data', onData);
  return { stop: () => req.off('data', onData) };
}

/** The token's claims name an office admin (header or session cookie, as BearerAuthGuard reads them), else 401/403. */
function officeAdminClaims(jwt: JwtService, req: Request, res: Response): boolean {
  let token: string;
  try {
    token = requestToken(req);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    answer(res, statusOf(error.code), error.code, error.message, [], true); // the body is never read
    return false;
  }
  let claims: TokenClaims;
  try {
    claims = jwt.verify<TokenClaims>(token);
  } catch (error) {
    answer(res, 401, 'UNAUTHORIZED', `invalid bearer token: ${(error as Error).message}`, [], true);
    return false;
  }
  if (!claims.roles?.includes('office_admin')) {
    answer(res, 403, 'FORBIDDEN', 'requires one of the roles: office_admin', [], true);
    return false;
  }
  return true;
}

function tooLarge(res: Response, limit: number, where: string): void {
  answer(
    res,
    413,
    'PAYLOAD_TOO_LARGE',
    `the request body is larger than ${human(limit)}, the limit of ${where}`,
    [{ field: 'body', problem: `must be at most ${human(limit)}` }],
    true,
  );
}

/** `close`: the body was not (fully) read, so the connection cannot carry another request. */
function answer(
  res: Response,
  status: number,
  error: string,
  message: string,
  details: { field: string; problem: string }[],
  close = false,
): void {
  if (close) res.setHeader('Connection', 'close');
  res.status(status).json({ statusCode: status, error, message, details });
}
