import { createReadStream } from 'node:fs';
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';

/**
 * Where attachment bytes live. Keys are content addresses (`ab/abcdef…` of the sha-256), so a put is idempotent
 * and an S3-compatible store can implement this with PutObject/GetObject on the same keys.
 */
export interface FileStorage {
  put(key: string, data: Buffer): Promise<void>;
  open(key: string): Promise<Readable>;
  exists(key: string): Promise<boolean>;
}

export const FILE_STORAGE = Symbol('FILE_STORAGE');

export const contentKey = (sha256: string) => `${sha256.slice(0, 2)}/${sha256}`;

/** Local disk under a root directory; writes go to a temp file first and are renamed, so readers never see half a file. */
export class LocalDiskFileStorage implements FileStorage {
  constructor(private readonly root: string) {}

  private path(key: string): string {
    const p = resolve(this.root, key);
    if (!p.startsWith(resolve(this.root))) throw new Error(`storage key escapes the root: ${key}`);
    return p;
  }

  async put(key: string, data: Buffer): Promise<void> {
    const target = this.path(key);
    if (await this.exists(key)) return;
    await mkdir(dirname(target), { recursive: true });
    const tmp = join(dirname(target), `.tmp-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`);
    await writeFile(tmp, data);
    await rename(tmp, target);
  }

  async open(key: string): Promise<Readable> {
    return createReadStream(this.path(key));
  }

  async exists(key: string): Promise<boolean> {
    return stat(this.path(key)).then(
      () => true,
      () => false,
    );
  }
}
