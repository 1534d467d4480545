import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Db } from '../../../../libs/persistence/src';
import { ConfigService } from '@nestjs/config';
import type { Env } from '../../../../libs/config/src';
import { AuditService } from '../audit/audit.service';
import { hashPassword } from './password-hasher';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

/**
 * First start: if BOOTSTRAP_ADMIN_EMAIL/PASSWORD are set and no office_admin exists, create one. A transaction-level
 * advisory lock makes two api instances starting together create at most one.
 */
@Injectable()
export class BootstrapAdmin implements OnApplicationBootstrap {
  private readonly log = new Logger('Auth');

  constructor(
    private readonly db: Db,
    private readonly config: ConfigService<Env, true>,
    private readonly users: UsersService,
    private readonly userRows: UsersRepository,
    private readonly audit: AuditService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const email = this.config.get('BOOTSTRAP_ADMIN_EMAIL', { infer: true });
    const password = this.config.get('BOOTSTRAP_ADMIN_PASSWORD', { infer: true });
    if (!email || !password) return;
    const passwordHash = await hashPassword(password);
    const created = await this.db.transaction(async (m) => {
      await this.userRows.lockBootstrapAdmin();
      if (await this.userRows.anyOfficeAdmin()) return null;
      const user = await this.users.insert(m, {
        email,
        displayName: 'Office administrator',
        roles: ['office_admin'],
        passwordHash,
      });
      await this.audit.record(
        {
          actor: null,
          actorEmail: 'bootstrap',
          action: 'user.bootstrap_admin',
          entity: 'user',
          entityId: user.id,
          after: user,
        },
        m,
      );
      return user;
    });
    if (created) this.log.log(`created the bootstrap office admin ${created.email}`);
  }
}
