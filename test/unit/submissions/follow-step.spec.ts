import { followStep, type StepState, type SubmissionState } from '../../../libs/domain/src/submissions/follow-step';

const OURS = 'v-ours';
const row = (status: SubmissionState['status'], currentVersionId: string | null = OURS): SubmissionState => ({
  status,
  currentVersionId,
});
const step = (status: StepState['status'], lastSubmissionId?: string): StepState => ({ status, lastSubmissionId });

/** The pure rule behind "submissions follow the workflow" (the integration walk is office-actions.e2e.spec.ts). */
describe('followStep', () => {
  it.each([
    // a decided step decides the row; the version gets the decision only if it is the one decided on
    ['submitted', step('accepted', OURS), { status: 'accepted', decision: 'accepted' }],
    ['submitting', step('accepted', OURS), { status: 'accepted', decision: 'accepted' }],
    ['draft', step('accepted', 'paper-1'), { status: 'accepted' }],
    ['submitted', step('waived', OURS), { status: 'waived' }],
    ['returned', step('cancelled', OURS), { status: 'cancelled' }],
    // our version returned (by a reviewer or the office's drive tool)
    ['submitted', step('returned', OURS), { status: 'returned', decision: 'returned' }],
    // a half-done submit the workflow took
    ['submitting', step('submitted', OURS), { status: 'submitted' }],
  ] as const)('%s row, step %o → %o', (status, s, expected) => {
    expect(followStep(row(status), s)).toEqual(expected);
  });

  it.each([
    ['accepted', step('cancelled', OURS)], // final rows never change
    ['waived', step('accepted', OURS)],
    ['draft', step('submitted', 'paper-1')], // the office's paper submission is not the unit's draft
    ['returned', step('returned', 'paper-1')],
    ['submitted', step('submitted', OURS)], // already there
    ['submitting', step('open')], // the workflow did not take it (yet): the reconciler decides after the deadline
    ['draft', step('open')],
  ] as const)('%s row, step %o → unchanged', (status, s) => {
    expect(followStep(row(status), s)).toBeUndefined();
  });
});
