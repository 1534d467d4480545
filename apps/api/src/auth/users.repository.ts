import { Inject, Injectable } from '@nestjs/common';
import { Db, type Queryable } from '../../../../libs/persistence/src';

/**
 * The statements on app_user beside its TypeORM entity (UserRow): the checks the user rules need. Through Db, so
 * inside a transaction they run on that transaction's connection.
 */
@Injectable()
export class UsersRepository {
  constructor(@Inject(Db) private readonly db: Queryable) {}

  /** Waits for any other api instance creating the bootstrap admin to commit (transaction-scoped advisory lock). */
  async lockBootstrapAdmin(): Promise<void> {
    await this.db.query(`SELECT pg_advisory_xact_lock(hashtext('bootstrap-admin'))`);
  }

  async anyOfficeAdmin(): Promise<boolean> {
    return (
      (await this.db.query<{ one: 1 }>(`SELECT 1 AS one FROM app_user WHERE 'office_admin' = ANY(roles) LIMIT 1`))
        .length > 0
    );
  }

  /** Active office admins other than the user `exceptId`. */
  async countOtherActiveOfficeAdmins(exceptId: string): Promise<number> {
    const [{ n }] = await this.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM app_user WHERE 'office_admin' = ANY(roles) AND active AND id <> $1`,
      [exceptId],
    );
    return n;
  }

  /** Whether a user has this e-mail, compared case-insensitively. */
  async emailTaken(email: string): Promise<boolean> {
    return (
      (await this.db.query<{ one: 1 }>(`SELECT 1 AS one FROM app_user WHERE lower(email) = lower($1)`, [email]))
        .length > 0
    );
  }
}
