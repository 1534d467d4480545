/**
 * Where the time of a phase goes, from Temporal's own Prometheus endpoints: the dev server's (`--metrics-port`) and
 * the SDK worker runtime's. A snapshot before and after a phase; the difference of the counters says how many
 * requests of each kind the server served, how long its persistence (SQLite) was busy with each operation, how long
 * tasks waited in the task queues before a worker took them and how long the worker took for a workflow task.
 */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Prometheus text exposition: `name{a="b",…} value` lines (comments and blank lines skipped). */
export function parsePrometheus(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    samples.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return samples;
}

export class MetricsSnapshot {
  constructor(private readonly samples: Sample[]) {}

  static async take(url: string | undefined): Promise<MetricsSnapshot> {
    if (!url) return new MetricsSnapshot([]);
    try {
      return new MetricsSnapshot(parsePrometheus(await (await fetch(url)).text()));
    } catch {
      return new MetricsSnapshot([]);
    }
  }

  get isEmpty(): boolean {
    return this.samples.length === 0;
  }

  /** Sum of a series' values by one label (e.g. `operation`), optionally filtered on other labels. */
  by(name: string, label: string, where: Record<string, string> = {}): Map<string, number> {
    const out = new Map<string, number>();
    for (const s of this.samples) {
      if (s.name !== name || Object.entries(where).some(([k, v]) => s.labels[k] !== v)) continue;
      const key = s.labels[label] ?? '';
      out.set(key, (out.get(key) ?? 0) + s.value);
    }
    return out;
  }

  total(name: string, where: Record<string, string> = {}): number {
    return [...this.by(name, '__none__', where).values()].reduce((a, b) => a + b, 0);
  }
}

const delta = (after: Map<string, number>, before: Map<string, number>) =>
  new Map([...after].map(([k, v]) => [k, v - (before.get(k) ?? 0)] as const).filter(([, v]) => v > 0));

const top = (m: Map<string, number>, n: number, fmt: (v: number) => string) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${k} ${fmt(v)}`)
    .join(', ');

export interface PhaseProfile {
  /** Frontend requests served in the phase, by operation (polls left out). */
  requests: string;
  /** Seconds the server's persistence spent per operation (sum of latencies; SQLite serialises writes). */
  persistenceBusyS: number;
  persistence: string;
  /** Mean wait of a workflow / activity task between scheduled and picked up by the worker, ms (SDK metrics). */
  workflowTaskScheduleToStartMs: number | null;
  activityTaskScheduleToStartMs: number | null;
  /** Mean worker-side execution of a workflow task, ms. */
  workflowTaskExecutionMs: number | null;
  /**
   * Workflow tasks of workflows not in the worker's sticky cache (each one a full history fetch and replay), forced
   * evictions to make room, and the cache's size at the phase's end (SDK metrics).
   */
  stickyCacheMisses: number | null;
  stickyCacheEvictions: number | null;
  stickyCacheSize: number | null;
  /** Peak resident memory of the bench process (api, worker, loops; the servers are other processes), MB. */
  rssPeakMb?: number;
}

/** What the server and the worker spent on the phase between two snapshots of each. */
export function profile(
  server: [MetricsSnapshot, MetricsSnapshot],
  sdk: [MetricsSnapshot, MetricsSnapshot],
): PhaseProfile {
  const [s0, s1] = server;
  const [w0, w1] = sdk;
  const requests = delta(
    s1.by('service_requests', 'operation', { service_name: 'frontend' }),
    s0.by('service_requests', 'operation', { service_name: 'frontend' }),
  );
  for (const k of [...requests.keys()])
    if (/^Poll|Heartbeat|GetSystemInfo|DescribeNamespace/.test(k)) requests.delete(k);
  const busy = delta(s1.by('persistence_latency_sum', 'operation'), s0.by('persistence_latency_sum', 'operation'));
  const mean = (name: string) => {
    const n = w1.total(`${name}_count`) - w0.total(`${name}_count`);
    return n > 0 ? +((w1.total(`${name}_sum`) - w0.total(`${name}_sum`)) / n).toFixed(1) : null;
  };
  // counters are exported with or without Prometheus' `_total` suffix depending on the exporter version
  const counter = (m: MetricsSnapshot, name: string) => m.total(name) + m.total(`${name}_total`);
  const increase = (name: string) => (w1.isEmpty ? null : counter(w1, name) - counter(w0, name));
  return {
    requests: top(requests, 6, (v) => `${Math.round(v)}`),
    persistenceBusyS: +[...busy.values()].reduce((a, b) => a + b, 0).toFixed(1),
    persistence: top(busy, 4, (v) => `${v.toFixed(1)} s`),
    workflowTaskScheduleToStartMs: mean('temporal_workflow_task_schedule_to_start_latency'),
    activityTaskScheduleToStartMs: mean('temporal_activity_schedule_to_start_latency'),
    workflowTaskExecutionMs: mean('temporal_workflow_task_execution_latency'),
    stickyCacheMisses: increase('temporal_sticky_cache_miss'),
    stickyCacheEvictions: increase('temporal_sticky_cache_total_forced_eviction'),
    stickyCacheSize: w1.isEmpty ? null : w1.total('temporal_sticky_cache_size'),
  };
}
