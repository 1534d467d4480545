import type { AuthUser } from '../../../apps/api/src/auth/roles';
import type { UnitAccessService } from '../../../apps/api/src/auth/unit-access.service';
import type {
  EvaluationRepository,
  EvaluationRow,
  ResponseRow,
  UnitTokenCountRow,
} from '../../../apps/api/src/evaluations/evaluation.repository';
import { EvaluationsService } from '../../../apps/api/src/evaluations/evaluations.service';
import type { EvaluationForm } from '../../../libs/domain/src/evaluations/evaluation-form';

/**
 * EvaluationsService.results with its collaborators faked at the edge (the repository, unit access): the
 * aggregation and the withholding rule without a database. The real-PostgreSQL path is
 * test/integration/evaluations/anonymous-evaluation.spec.ts.
 */
const form: EvaluationForm = {
  questions: [
    { key: 'overall', text: '总体满意程度', type: 'scale', min: 1, max: 5, satisfiedAtLeast: 4, required: true },
    {
      key: 'style',
      text: '作风',
      type: 'choice',
      options: [
        { value: 'good', label: '好', satisfied: true },
        { value: 'poor', label: '差' },
      ],
      required: true,
    },
    { key: 'remarks', text: '意见建议', type: 'text', required: false },
  ],
};
const evaluation: EvaluationRow = {
  title: '2026年度群众满意度测评',
  kind: 'satisfaction',
  form,
  opens_at: new Date('2026-03-01T00:00:00Z'),
  closes_at: new Date('2026-03-31T16:00:00Z'),
  cycle_id: null,
};
const office: AuthUser = {
  id: 'u-office',
  email: 'office@example.org',
  displayName: '办公室',
  roles: ['office_admin'],
  unitId: null,
};

function setup(tokens: UnitTokenCountRow[], responses: ResponseRow[]) {
  const evaluations = {
    find: jest.fn(async () => evaluation),
    tokenCounts: jest.fn(async () => tokens),
    responses: jest.fn(async () => responses),
  };
  const access = { assertRead: jest.fn(async () => undefined), readableUnitsFilter: jest.fn(() => null) };
  const sut = new EvaluationsService(
    null as never,
    evaluations as unknown as EvaluationRepository,
    null as never,
    null as never,
    access as unknown as UnitAccessService,
    null as never,
    null as never,
  );
  return { sut, evaluations, access };
}

describe('evaluation results (service with fakes)', () => {
  const tokens: UnitTokenCountRow[] = [
    { unit_id: 'unit-a', code: 'A01', name: '第一小学党支部', issued: 4, used: 3 },
    { unit_id: 'unit-b', code: 'B01', name: '第二幼儿园党支部', issued: 5, used: 2 },
  ];
  const responses: ResponseRow[] = [
    { unit_id: 'unit-a', answers: { overall: 5, style: 'good', remarks: '很好' } },
    { unit_id: 'unit-b', answers: { overall: 1, style: 'poor' } },
    { unit_id: 'unit-a', answers: { overall: 3, style: 'poor' } },
    { unit_id: 'unit-a', answers: { overall: 4, style: 'good', remarks: '加强学习' } },
    { unit_id: 'unit-b', answers: { overall: 2, style: 'poor' } },
  ];

  it('aggregates a unit with three answers and withholds one with two', async () => {
    const { sut } = setup(tokens, responses);
    const result = await sut.results('eval-1', undefined, office);
    expect(result.units).toEqual([
      {
        unitId: 'unit-a',
        unitCode: 'A01',
        unitName: '第一小学党支部',
        issued: 4,
        responded: 3,
        responseRate: 0.75,
        questions: [
          {
            key: 'overall',
            type: 'scale',
            responses: 3,
            mean: 4,
            distribution: { '1': 0, '2': 0, '3': 1, '4': 1, '5': 1 },
            satisfactionRate: 2 / 3,
          },
          {
            key: 'style',
            type: 'choice',
            responses: 3,
            mean: null,
            distribution: { good: 2, poor: 1 },
            satisfactionRate: 2 / 3,
          },
          {
            key: 'remarks',
            type: 'text',
            responses: 2,
            mean: null,
            distribution: {},
            satisfactionRate: null,
            comments: ['加强学习', '很好'],
          },
        ],
      },
      {
        unitId: 'unit-b',
        unitCode: 'B01',
        unitName: '第二幼儿园党支部',
        issued: 5,
        responded: 2,
        responseRate: 0.4,
        questions: null,
        withheld: 'fewer than 3 responses: aggregates are withheld so that no single answer can be read off',
      },
    ]);
    expect(result).toMatchObject({
      evaluationId: 'eval-1',
      title: '2026年度群众满意度测评',
      opensAt: '2026-03-01T00:00:00.000Z',
      closesAt: '2026-03-31T16:00:00.000Z',
      questions: form.questions,
    });
  });

  it('asks for one unit only after checking the caller may read it', async () => {
    const { sut, evaluations, access } = setup(
      [tokens[0]],
      responses.filter((r) => r.unit_id === 'unit-a'),
    );
    await sut.results('eval-1', 'unit-a', office);
    expect(access.assertRead).toHaveBeenCalledWith(office, 'unit-a');
    expect(evaluations.tokenCounts).toHaveBeenCalledWith('eval-1', { unitId: 'unit-a' });
    expect(evaluations.responses).toHaveBeenCalledWith('eval-1', { unitId: 'unit-a' });
  });

  it('is 404 for an unknown evaluation', async () => {
    const { sut, evaluations } = setup([], []);
    evaluations.find.mockResolvedValueOnce(undefined as never);
    await expect(sut.results('nope', undefined, office)).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'evaluation nope not found',
    });
  });
});
