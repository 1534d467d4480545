import type { INestApplication } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository (or image) root: the nearest folder with a package.json, from src/ (tests) or dist/ (npm start). */
function projectRoot(from = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** Where `npm run build` (scripts/lib/console-build.js) writes the web console. */
export const CONSOLE_DIR = join(projectRoot(), 'dist', 'console');
/** Paths that belong to the api itself: never answered with the console's index.html. */
const API_PATHS = /^\/(api|docs|health)(\/|$)/;

/**
 * The web console (apps/console, built by Vite) at `/`: its files through express.static, and index.html for every
 * other GET that is not the api, the OpenAPI docs or the health check, so client routes such as /campaigns survive a
 * reload. Hashed assets are cached for good; index.html is always revalidated, so a new build is picked up at once.
 * (Plain express middleware rather than @nestjs/serve-static: that module picks its loader when the module is
 * compiled, which under @nestjs/testing is before the HTTP adapter exists, so the tests would not serve the console.)
 */
export function serveConsole(app: INestApplication, dir = CONSOLE_DIR): void {
  const files = express.static(dir, {
    index: false,
    setHeaders: (res, file) =>
      res.setHeader(
        'Cache-Control',
        /[\\/]assets[\\/]/.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache',
      ),
  });
  const indexHtml = join(dir, 'index.html');
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || API_PATHS.test(req.path)) return next();
    files(req, res, () => {
      if (!existsSync(indexHtml)) return next(); // not built: the api's own 404
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(indexHtml);
    });
  });
}
