import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import request from 'supertest';
import { PUBLIC_KEY, ROLES_KEY } from '../../../apps/api/src/auth/bearer-auth.guard';
import { useTestApi } from '../../support/test-stack';

/**
 * The api is closed by default (BearerAuthGuard as APP_GUARD). This file makes that a CI rule:
 * - every controller handler carries @Authorized(...) or @Public() explicitly (on the handler or its class), so
 *   who may call it is a decision someone wrote down, not an accident of the default;
 * - every route of the OpenAPI document answers 401 without a token (and with a forged one), except the few public
 *   ones listed here — adding a public route means adding it to this list, on purpose.
 */
const PUBLIC_ROUTES = [
  'GET /health',
  'POST /api/auth/login',
  'POST /api/auth/logout',
  'GET /api/auth/session',
  'POST /api/evaluations/responses',
  'POST /api/evaluations/form',
];
const PUBLIC_HANDLERS = [
  'AuthController.login',
  'AuthController.logout',
  'AuthController.session',
  'EvaluationsController.form',
  'EvaluationsController.respond',
  'HealthController.check',
];

const DUMMY = '00000000-0000-4000-8000-000000000000';
const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

describe('every endpoint is behind @Authorized or explicitly @Public (real api, real PostgreSQL)', () => {
  const stack = useTestApi();
  let doc: { paths: Record<string, Record<string, { security?: Record<string, unknown>[] }>> };

  beforeAll(async () => {
    // The OpenAPI document and the Swagger UI are not controller routes: they stay reachable without a token.
    doc = (await request(stack.api.getHttpServer()).get('/docs/openapi.json').expect(200)).body;
  });

  it('serves the Swagger UI without a token', async () => {
    const ui = await request(stack.api.getHttpServer()).get('/docs/').redirects(1).expect(200);
    expect(ui.text).toContain('swagger-ui');
  });

  it('every controller handler declares @Authorized(...) or @Public()', () => {
    const handlers: { name: string; authorized: boolean; public: boolean }[] = [];
    for (const module of stack.api.get(ModulesContainer).values()) {
      for (const wrapper of module.controllers.values()) {
        const controller = wrapper.metatype as (new (...args: unknown[]) => unknown) | null;
        if (!controller?.prototype) continue;
        for (const key of Object.getOwnPropertyNames(controller.prototype)) {
          const handler = controller.prototype[key];
          if (
            key === 'constructor' ||
            typeof handler !== 'function' ||
            Reflect.getMetadata(METHOD_METADATA, handler) === undefined
          )
            continue;
          if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
          const meta = (k: string) => Reflect.getMetadata(k, handler) ?? Reflect.getMetadata(k, controller);
          handlers.push({
            name: `${controller.name}.${key}`,
            authorized: meta(ROLES_KEY) !== undefined,
            public: meta(PUBLIC_KEY) === true,
          });
        }
      }
    }
    expect(handlers.length).toBeGreaterThan(60);
    expect(handlers.filter((h) => !h.authorized && !h.public).map((h) => h.name)).toEqual([]);
    expect(handlers.filter((h) => h.authorized && h.public).map((h) => h.name)).toEqual([]);
    expect(
      handlers
        .filter((h) => h.public)
        .map((h) => h.name)
        .sort(),
    ).toEqual(PUBLIC_HANDLERS);
  });

  it('every non-public route of the OpenAPI document answers 401 without a token and with a forged one, and documents bearer auth', async () => {
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      HTTP_METHODS.filter((m) => ops[m]).map((m) => ({
        method: m,
        path,
        route: `${m.toUpperCase()} ${path}`,
        security: ops[m].security,
      })),
    );
    expect(routes.length).toBeGreaterThan(60);
    expect(
      routes
        .filter((r) => PUBLIC_ROUTES.includes(r.route))
        .map((r) => r.route)
        .sort(),
    ).toEqual([...PUBLIC_ROUTES].sort());

    const open: string[] = [];
    const undocumented: string[] = [];
    for (const r of routes) {
      const url = r.path.replace(/\{[^}]+\}/g, DUMMY);
      const call = () => request(stack.api.getHttpServer())[r.method](url).send({});
      const anonymous = await call();
      if (PUBLIC_ROUTES.includes(r.route)) {
        expect([r.route, anonymous.status === 401 && /bearer token/.test(anonymous.body.message)]).toEqual([
          r.route,
          false,
        ]);
        continue;
      }
      const forged = await call().set('Authorization', 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.forged');
      if (
        anonymous.status !== 401 ||
        !/bearer token is required/.test(anonymous.body.message) ||
        forged.status !== 401
      ) {
        open.push(`${r.route} → ${anonymous.status} / forged ${forged.status}`);
      }
      if (!r.security?.some((s) => 'bearer' in s)) undocumented.push(r.route);
    }
    expect(open).toEqual([]);
    expect(undocumented).toEqual([]);
  });
});
