import { CYCLE_STATES, CYCLE_UNIT_STATUSES, STEP_STATUSES } from '../../../libs/domain/src/campaign';
import { createTestDatabase, type TestDatabase } from '../../support/database';

/**
 * The state names are declared once (libs/domain/src/campaign/statuses.ts); the migrations' CHECK constraints must
 * say the same, or a state the workflow reaches cannot be written (or the database accepts one nobody knows).
 */
describe('status CHECK constraints in PostgreSQL match the declared lists', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  /** The values of `CHECK ((status = ANY (ARRAY['a'::text, …])))` on the table's `status` column, in order. */
  async function allowedStatuses(table: string): Promise<string[]> {
    const rows = await db.query<{ def: string }>(
      `SELECT pg_get_constraintdef(c.oid) AS def FROM pg_constraint c
        WHERE c.conrelid = $1::regclass AND c.contype = 'c' AND pg_get_constraintdef(c.oid) LIKE '%status%'`,
      [table],
    );
    expect(rows).toHaveLength(1);
    return valuesOf(rows[0].def);
  }
  const valuesOf = (def: string) => [...def.matchAll(/'([^']+)'::text/g)].map((m) => m[1]);

  it('unit_step_status.status: the step statuses', async () => {
    expect(await allowedStatuses('unit_step_status')).toEqual([...STEP_STATUSES]);
  });

  it('cycle_unit.status: pending, then the unit workflow states', async () => {
    expect(await allowedStatuses('cycle_unit')).toEqual([...CYCLE_UNIT_STATUSES]);
  });

  it('campaign_cycle.status: the cycle states', async () => {
    expect(await allowedStatuses('campaign_cycle')).toEqual([...CYCLE_STATES]);
  });

  it('can fail: a constraint with another list reads as that list', () => {
    expect(valuesOf(`CHECK ((status = ANY (ARRAY['pending'::text, 'open'::text])))`)).toEqual(['pending', 'open']);
  });
});
