import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { ConfigService } from '@nestjs/config';
import type { Env } from '../../../../libs/config/src';
import { DomainError, ErrorCode } from '../../../../libs/domain/src';
import { AuthUser, hasAnyRole } from '../auth/roles';
import { UnitWorkflowGateway } from '../workflow-gateway/unit-workflow.gateway';
import { UnitAccessService } from '../auth/unit-access.service';
import { CycleRepository, type CycleMemberRow } from '../cycles/cycle.repository';
import { ReadModelRepository } from '../cycles/read-model.repository';
import { UnitNoticeRepository, type DeadDeliveryRow } from '../cycles/unit-notice.repository';
import type { TimelineDto, TimelineEntryDto, WhyDto } from './inspection.dto';
import { localTime } from './plain-time';
import { readModelZh, type Titles } from './read-model-sentences';
import { explainStep } from './step-explainer';
import { translateRun } from './temporal-history.translator';
import { UpdateRejectionRepository } from './update-rejection.repository';
import { WorkflowRunsReader } from './workflow-runs.reader';

/** At one instant, temporal events before the read-model rows they caused (the activity writes them afterwards). */
const SOURCE_RANK = { temporal: 0, api: 0, 'read-model': 1, delivery: 2 } as const;

type Merged = { atMs: number; source: keyof typeof SOURCE_RANK };

/**
 * Merges the sources by time while keeping each source in its own order (read model by seq, Temporal by run and
 * event id, refusals by record): event times of consecutive runs can disagree by a few ms (the next run's start
 * is stamped before the previous run's continue-as-new), and "Run 2 started" must still follow "Continued as new".
 */
export function mergeStreams<T extends Merged>(entries: T[]): T[] {
  const streams = new Map<string, T[]>();
  for (const e of entries) streams.set(e.source, [...(streams.get(e.source) ?? []), e]);
  const heads = [...streams.values()];
  const out: T[] = [];
  for (;;) {
    let best: T[] | undefined;
    for (const s of heads)
      if (
        s.length &&
        (!best ||
          s[0].atMs - best[0].atMs < 0 ||
          (s[0].atMs === best[0].atMs && SOURCE_RANK[s[0].source] < SOURCE_RANK[best[0].source]))
      )
        best = s;
    if (!best) return out;
    out.push(best.shift()!);
  }
}

/**
 * A dead delivery as timeline sentences. Only a notice that reached no one says why (a fact about the unit tree);
 * a channel's error text stays in the office's dead-letter list (it may quote a receiver's answer).
 */
function deadDeliverySentences(d: DeadDeliveryRow): { en: string; zh: string } {
  const what = `${d.kind} to ${d.audience} (step ${d.stepKey})`;
  const whatZh = `${d.kind} → ${d.audience}（环节 ${d.stepKey}）`;
  if (d.channel === 'none')
    return { en: `Notice reached no one: ${what}: ${d.lastError}`, zh: `通知无人可送：${whatZh}：${d.lastError}` };
  return {
    en: `Notice undelivered by ${d.channel} to ${d.recipientName}: ${what} (see the dead-letter list)`,
    zh: `通知未能通过 ${d.channel} 送达 ${d.recipientName}：${whatZh}（见死信列表）`,
  };
}

/**
 * Admin inspection of one unit in one cycle: the read model's history and the unit workflow's Temporal history
 * (every run) as one chronological list of plain sentences, and "why is this step in this state?".
 */
@Injectable()
export class InspectionService {
  constructor(
    private readonly cycles: CycleRepository,
    private readonly readModel: ReadModelRepository,
    private readonly notices: UnitNoticeRepository,
    private readonly rejections: UpdateRejectionRepository,
    private readonly gateway: UnitWorkflowGateway,
    private readonly config: ConfigService<Env, true>,
    private readonly access: UnitAccessService,
    private readonly runs: WorkflowRunsReader,
  ) {}

  /** Office admins and auditors: any unit; a unit secretary: only their own unit (not the subtree: these are internals). */
  async timeline(
    user: AuthUser,
    cycleId: string,
    unitRef: string,
    detail: 'summary' | 'all' = 'summary',
  ): Promise<TimelineDto> {
    const m = await this.member(cycleId, unitRef);
    if (!hasAnyRole(user, ['office_admin', 'auditor']) && user.unitId !== m.unitId) {
      throw new DomainError(ErrorCode.Forbidden, `the timeline of unit ${m.unitCode} is not readable by ${user.email}`);
    }
    const titles = await this.titles(m);
    const zone = m.timeZone;
    const link = (runId: string | null) => (runId ? this.uiLink(m.workflowId, runId) : null);
    const entry = (e: Omit<TimelineEntryDto, 'at' | 'atLocal' | 'link'> & { atMs: number }) => {
      const { atMs, ...rest } = e;
      return {
        atMs,
        at: new Date(atMs).toISOString(),
        atLocal: localTime(atMs, zone, true),
        link: link(e.runId),
        ...rest,
      };
    };

    const [events, runs, rejections, undelivered] = await Promise.all([
      this.readModel.unitEvents(m.cycleId, m.unitId),
      this.runs.allRuns(m.workflowId),
      this.rejections.forWorkflow(m.workflowId),
      this.notices.deadDeliveries(m.cycleId, m.unitId),
    ]);
    const fmt = (ms: number) => localTime(ms, zone);
    const entries = [
      ...events.map((e) =>
        entry({
          atMs: +e.at,
          source: 'read-model',
          kind: e.kind,
          en: e.summary,
          zh: readModelZh(e, titles, (iso) => fmt(Date.parse(iso))),
          actor: e.actor,
          eventId: null,
          seq: e.seq,
          runId: e.workflowRunId,
          runNumber: runs.find((r) => r.runId === e.workflowRunId)?.runNumber ?? null,
        }),
      ),
      ...runs.flatMap((run) =>
        translateRun(run.events, { runNumber: run.runNumber, fmt, detail }).map((t) =>
          entry({
            atMs: t.atMs,
            source: 'temporal',
            kind: t.eventType,
            en: t.en,
            zh: t.zh,
            actor: t.actor,
            eventId: t.eventId,
            seq: null,
            runId: run.runId,
            runNumber: run.runNumber,
          }),
        ),
      ),
      ...rejections
        // A failure after acceptance is in the history already (UpdateCompleted with a failure): only true rejections here.
        .filter(
          (r) =>
            !runs.some((run) =>
              run.events.some(
                (e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.meta?.updateId === r.updateId,
              ),
            ),
        )
        .map((r) => {
          const a = (r.args ?? {}) as Record<string, unknown>;
          const what = a.stepKey
            ? ` (step ${a.stepKey}${a.submissionId ? `, submission ${a.submissionId}` : ''}${a.actor ? ` by ${a.actor}` : ''})`
            : '';
          const whatZh = a.stepKey
            ? `（环节 ${a.stepKey}${a.submissionId ? `，提交 ${a.submissionId}` : ''}${a.actor ? `，${a.actor}` : ''}）`
            : '';
          return entry({
            atMs: +r.at,
            source: 'api',
            kind: 'WorkflowExecutionUpdateRejected',
            en: `Update '${r.update}' rejected${what}: ${r.reason}`,
            zh: `更新 '${r.update}' 被拒绝${whatZh}：${r.reason}`,
            actor: typeof a.actor === 'string' ? a.actor : null,
            eventId: null,
            seq: null,
            runId: r.runId,
            runNumber: runs.find((run) => run.runId === r.runId)?.runNumber ?? null,
          });
        }),
      ...undelivered.map((d) =>
        entry({
          atMs: +d.deadAt,
          source: 'delivery',
          kind: 'NoticeDeliveryDead',
          ...deadDeliverySentences(d),
          actor: null,
          eventId: null,
          seq: null,
          runId: null,
          runNumber: null,
        }),
      ),
    ];
    return {
      cycleId: m.cycleId,
      unitId: m.unitId,
      unitCode: m.unitCode,
      workflowId: m.workflowId,
      timeZone: zone,
      runIds: runs.map((r) => r.runId),
      entries: mergeStreams(entries).map(({ atMs, ...e }) => e),
    };
  }

  /** Anyone who may read the unit (office, auditors, the unit, secretaries above it). `nowMs` from Temporal in tests. */
  async why(user: AuthUser, cycleId: string, unitRef: string, stepKey: string, nowMs = Date.now()): Promise<WhyDto> {
    const m = await this.member(cycleId, unitRef);
    await this.access.assertRead(user, m.unitId);
    const row = await this.readModel.unitStep(m.cycleId, m.unitId, stepKey);
    if (!row)
      throw DomainError.validation(`no step ${stepKey} for unit ${m.unitCode}`, [
        { field: 'stepKey', problem: `no step "${stepKey}" for this unit in this cycle` },
      ]);
    const explained = explainStep(row, await this.readModel.unitEvents(m.cycleId, m.unitId), {
      timeZone: m.timeZone,
      nowMs,
      currentStage: m.currentStage,
    });
    return { stepKey, title: row.title, status: row.status, ...explained, asOf: new Date(nowMs).toISOString() };
  }

  private uiLink(workflowId: string, runId: string): string {
    const base = this.config.get('TEMPORAL_UI_URL', { infer: true }).replace(/\/+$/, '');
    return `${base}/namespaces/${encodeURIComponent(this.gateway.namespace)}/workflows/${encodeURIComponent(workflowId)}/${runId}/history`;
  }

  private async member(cycleId: string, unitRef: string): Promise<CycleMemberRow> {
    if (!isUUID(cycleId, 'loose')) throw DomainError.notFound(`cycle ${cycleId}`);
    const m = await this.cycles.findMember(cycleId, unitRef);
    if (!m) throw DomainError.notFound(`unit ${unitRef} in cycle ${cycleId}`);
    return m;
  }

  private async titles(m: CycleMemberRow): Promise<Titles> {
    const plan = await this.cycles.plan(m.cycleId, m.unitKind);
    const stages = new Map((plan?.stages ?? []).map((s) => [s.key, s.title]));
    const steps = new Map((plan?.stages ?? []).flatMap((s) => s.steps.map((st) => [st.key, st.title] as const)));
    return { stage: (k) => (k ? (stages.get(k) ?? k) : ''), step: (k) => (k ? (steps.get(k) ?? k) : '') };
  }
}
