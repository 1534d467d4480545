import { Inject, Injectable } from '@nestjs/common';
import { Db, type Queryable } from '../../../../libs/persistence/src';

/** What the reconciler writes beside the submission rows (SubmissionRepository): the claims of submits it undid. */
@Injectable()
export class SubmissionReconcilerRepository {
  constructor(@Inject(Db) private readonly db: Queryable) {}

  /** Forgets every Idempotency-Key claim on `route` whose answer was never stored, whoever made it. */
  async releaseUnfinishedClaims(route: string): Promise<void> {
    await this.db.query(`DELETE FROM idempotency_key WHERE status_code = 0 AND route = $1`, [route]);
  }
}
