import type { AuditService } from '../../../apps/api/src/audit/audit.service';
import type { AuthUser } from '../../../apps/api/src/auth/roles';
import type { UnitAccessService } from '../../../apps/api/src/auth/unit-access.service';
import type {
  CommitmentRepository,
  CommitmentRow,
  GoalAssessmentRow,
  LeaderReviewRow,
} from '../../../apps/api/src/commitments/commitment.repository';
import { CommitmentsService } from '../../../apps/api/src/commitments/commitments.service';
import type { IdempotencyService } from '../../../apps/api/src/idempotency/idempotency.service';
import type { GoalView } from '../../../libs/domain/src/commitments/fulfilment';
import type { CycleLookupRepository } from '../../../libs/persistence/src/repositories/cycle-lookup.repository';

/**
 * CommitmentsService with its collaborators faked at the edge (repositories, idempotency, unit access, audit): the
 * commitment view with its 践诺 summary, and the leader-review rules, without a database. The real-PostgreSQL path
 * is test/integration/commitments/commitments.spec.ts.
 */
const ID = '0b8f6a2e-5a37-4d0b-9a57-3f3c1c0d9e01';
const office: AuthUser = {
  id: 'u-office',
  email: 'office@example.org',
  displayName: '办公室',
  roles: ['office_admin'],
  unitId: null,
};
const commitment: CommitmentRow = {
  id: ID,
  cycleId: 'cycle-1',
  unitId: 'unit-a',
  unitCode: 'A01',
  unitName: '第一小学党支部',
  title: '“增效减负”我承诺',
  content: '党员教师带头“增效”、率先“减负”',
  createdBy: 'u-secretary',
  createdAt: new Date('2027-01-10T02:00:00Z'),
};
const goals: GoalView[] = [
  { id: 'g1', ordinal: 1, title: '作业时间达标', measure: '每月抽查两次并公示', targetDate: '2027-03-31' },
  { id: 'g2', ordinal: 2, title: '课后服务全覆盖', measure: '每学期统计参与率', targetDate: '2027-12-31' },
];
const reviews: LeaderReviewRow[] = [
  {
    id: 'r1',
    period: '2027-H1',
    reviewer: '张书记',
    reviewedOn: '2027-07-05',
    strengths: '肯定',
    shortcomings: '不足',
    direction: '方向',
    recordedBy: 'u-office',
    recordedAt: new Date('2027-07-05T08:00:00Z'),
  },
];
const assessments: GoalAssessmentRow[] = [
  { reviewId: 'r1', goalId: 'g1', ordinal: 1, assessment: 'partly', comment: '二年级仍有超时' },
  { reviewId: 'r1', goalId: 'g2', ordinal: 2, assessment: 'fulfilled', comment: '' },
];

function setup() {
  const commitments = {
    find: jest.fn(async () => commitment),
    goals: jest.fn(async () => goals),
    reviews: jest.fn(async () => reviews),
    assessments: jest.fn(async () => assessments),
    insertReview: jest.fn(async () => undefined),
  };
  const cycles = {
    cycleStart: jest.fn(async () => ({ starts_at: new Date('2026-12-31T16:00:00Z'), time_zone: 'Asia/Shanghai' })),
    member: jest.fn(async () => ({ workflow_id: 'wf', unit_kind: 'primary_school' })),
  };
  const idempotency = { run: jest.fn((_call: unknown, work: (m: unknown) => Promise<unknown>) => work({})) };
  const access = { assertRead: jest.fn(async () => undefined) };
  const audit = { record: jest.fn(async () => undefined) };
  const sut = new CommitmentsService(
    commitments as unknown as CommitmentRepository,
    cycles as unknown as CycleLookupRepository,
    idempotency as unknown as IdempotencyService,
    access as unknown as UnitAccessService,
    audit as unknown as AuditService,
  );
  return { sut, commitments, audit };
}

describe('commitments (service with fakes)', () => {
  it('shows the commitment with its reviews and how far it is kept, as of the latest review', async () => {
    const { sut } = setup();
    const view = await sut.get(ID, office);
    expect(view.reviews).toEqual([
      {
        ...reviews[0],
        recordedAt: '2027-07-05T08:00:00.000Z',
        goals: [assessments[0], assessments[1]].map(({ reviewId: _r, ...a }) => a),
      },
    ]);
    expect(view.fulfilment).toEqual({
      latestPeriod: '2027-H1',
      reviewCount: 1,
      counts: { fulfilled: 1, partly: 1, notYet: 0, notReviewed: 0 },
      fulfilledShare: 0.5,
      goals: [
        {
          goalId: 'g1',
          ordinal: 1,
          title: '作业时间达标',
          targetDate: '2027-03-31',
          latest: 'partly',
          history: [{ period: '2027-H1', assessment: 'partly' }],
          pastTargetUnfulfilled: true,
        },
        {
          goalId: 'g2',
          ordinal: 2,
          title: '课后服务全覆盖',
          targetDate: '2027-12-31',
          latest: 'fulfilled',
          history: [{ period: '2027-H1', assessment: 'fulfilled' }],
          pastTargetUnfulfilled: false,
        },
      ],
      en: 'As of the 2027-H1 review (2027-07-05, 张书记): 1 of 2 goals fulfilled, 1 partly, 0 not yet; past target and not fulfilled: goal 1 (2027-03-31)',
      zh: '截至2027年上半年点评（2027-07-05，张书记）：2项阶段性目标中已践诺1项、部分践诺1项、尚未践诺0项；逾期未践诺：目标1（2027-03-31）',
    });
    expect(view.createdAt).toBe('2027-01-10T02:00:00.000Z');
  });

  it('refuses a review that leaves a goal out or gives no reason for an unfulfilled one, writing nothing', async () => {
    const { sut, commitments, audit } = setup();
    const review = {
      period: '2027-H2',
      reviewer: '张书记',
      reviewedOn: '2027-06-30',
      strengths: 's',
      shortcomings: 's',
      direction: 'd',
      goals: [{ goalId: 'g1', assessment: 'not_yet' as const }],
    };
    await expect(sut.review(ID, review, { user: office, ip: null, key: 'k1' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [
        { field: 'reviewedOn', problem: 'is before the half-year 2027-H2 begins (2027-07-01)' },
        { field: 'goals[0].comment', problem: 'is required when a goal is not fulfilled (say what is missing)' },
        { field: 'goals', problem: 'every goal must be assessed; missing: goal 2 (g2)' },
      ],
    });
    expect(commitments.insertReview).not.toHaveBeenCalled();
    expect(audit.record).not.toHaveBeenCalled();
  });

  it('refuses a second review of the same half-year (409)', async () => {
    const { sut, commitments } = setup();
    const review = {
      period: '2027-H1',
      reviewer: '李书记',
      reviewedOn: '2027-07-06',
      strengths: 's',
      shortcomings: 's',
      direction: 'd',
      goals: [
        { goalId: 'g1', assessment: 'fulfilled' as const },
        { goalId: 'g2', assessment: 'fulfilled' as const },
      ],
    };
    await expect(sut.review(ID, review, { user: office, ip: null, key: 'k2' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'the commitment already has a leader review for 2027-H1',
    });
    expect(commitments.insertReview).not.toHaveBeenCalled();
  });

  it('records a complete review with trimmed text and audits it', async () => {
    const { sut, commitments, audit } = setup();
    const review = {
      period: '2027-H2',
      reviewer: ' 王书记 ',
      reviewedOn: '2028-01-05',
      strengths: ' 好 ',
      shortcomings: '差',
      direction: '进',
      goals: [
        { goalId: 'g2', assessment: 'fulfilled' as const },
        { goalId: 'g1', assessment: 'partly' as const, comment: ' 仍有超时 ' },
      ],
    };
    await sut.review(ID, review, { user: office, ip: '127.0.0.1', key: 'k3' });
    expect(commitments.insertReview).toHaveBeenCalledWith({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      commitmentId: ID,
      period: '2027-H2',
      reviewer: '王书记',
      reviewedOn: '2028-01-05',
      strengths: '好',
      shortcomings: '差',
      direction: '进',
      recordedBy: 'u-office',
      goals: [
        { goalId: 'g2', assessment: 'fulfilled', comment: '' },
        { goalId: 'g1', assessment: 'partly', comment: '仍有超时' },
      ],
    });
    expect(audit.record).toHaveBeenCalledTimes(1);
    expect(audit.record).toHaveBeenCalledWith(
      expect.objectContaining({ action: 'commitment.review', entity: 'commitment', entityId: ID, ip: '127.0.0.1' }),
      {},
    );
  });
});
