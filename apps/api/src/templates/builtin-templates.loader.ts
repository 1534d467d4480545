import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { TemplatesService } from './templates.service';

/**
 * `templates/builtin/` at the repository root, found by walking up from this file: the same code runs from
 * apps/api/src (tests, ts) and from dist/apps/api/src (npm start), and the YAML files are never copied to dist.
 */
export function builtinTemplatesDir(from = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'templates', 'builtin');
    if (existsSync(join(dir, 'package.json')) && existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`templates/builtin not found above ${from}`);
  }
}

/**
 * Saves every built-in template as a version (source 'builtin') when the api starts. Idempotent: an unchanged file
 * is already stored under its checksum; a changed file becomes the next version. A built-in that does not parse
 * stops the start-up — it is a defect in the repository, not in anyone's input.
 */
@Injectable()
export class BuiltinTemplatesLoader implements OnApplicationBootstrap {
  private readonly log = new Logger(BuiltinTemplatesLoader.name);

  constructor(private readonly templates: TemplatesService) {}

  async onApplicationBootstrap() {
    const dir = builtinTemplatesDir();
    for (const file of readdirSync(dir)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort()) {
      try {
        const saved = await this.templates.save(readFileSync(join(dir, file), 'utf8'), 'builtin');
        this.log.log(`built-in template ${saved.key} v${saved.version}${saved.created ? ' saved' : ' already stored'}`);
      } catch (error) {
        const details = (error as { details?: unknown }).details;
        throw new Error(
          `built-in template ${file} is invalid: ${(error as Error).message}${details ? ` ${JSON.stringify(details)}` : ''}`,
        );
      }
    }
  }
}
