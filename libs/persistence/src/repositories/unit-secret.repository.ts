import { Inject, Injectable } from '@nestjs/common';
import { Db } from '../db';
import type { Queryable } from '../queryable';

/** One credential of a unit's notice channels, addressed by its ref (libs/persistence/src/unit-secrets.ts). */
export interface UnitSecretRow {
  unit_id: string;
  ref: string;
  value: string;
}

/** Reads of `unit_secret`, on the connection it is given (the caller's transaction manager, or Db). */
@Injectable()
export class UnitSecretRepository {
  constructor(@Inject(Db) private readonly db: Queryable) {}

  ofUnits(unitIds: string[]): Promise<UnitSecretRow[]> {
    return this.db.query(`SELECT unit_id, ref, value FROM unit_secret WHERE unit_id = ANY($1)`, [unitIds]);
  }
}
