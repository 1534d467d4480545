import { MetricsSnapshot, parsePrometheus, profile } from '../../../bench/lib/temporal-metrics';

const snapshot = (text: string) => new MetricsSnapshot(parsePrometheus(text));

describe('bench phase profile', () => {
  const server0 = snapshot(
    [
      'service_requests{operation="SignalWorkflowExecution",service_name="frontend"} 10',
      'service_requests{operation="PollWorkflowTaskQueue",service_name="frontend"} 99',
      'persistence_latency_sum{operation="GetCurrentExecution"} 1.5',
    ].join('\n'),
  );
  const server1 = snapshot(
    [
      'service_requests{operation="SignalWorkflowExecution",service_name="frontend"} 1010',
      'service_requests{operation="PollWorkflowTaskQueue",service_name="frontend"} 500',
      'persistence_latency_sum{operation="GetCurrentExecution"} 4',
    ].join('\n'),
  );
  const sdk0 = snapshot(
    [
      '# HELP temporal_sticky_cache_miss a counter',
      'temporal_sticky_cache_miss_total{namespace="default",task_queue="bench"} 5',
      'temporal_sticky_cache_total_forced_eviction{namespace="default",task_queue="bench"} 2',
      'temporal_sticky_cache_size{namespace="default"} 100',
      'temporal_workflow_task_execution_latency_sum{task_queue="bench"} 100',
      'temporal_workflow_task_execution_latency_count{task_queue="bench"} 10',
    ].join('\n'),
  );
  const sdk1 = snapshot(
    [
      'temporal_sticky_cache_miss_total{namespace="default",task_queue="bench"} 705',
      'temporal_sticky_cache_total_forced_eviction{namespace="default",task_queue="bench"} 602',
      'temporal_sticky_cache_size{namespace="default"} 2283',
      'temporal_workflow_task_execution_latency_sum{task_queue="bench"} 400',
      'temporal_workflow_task_execution_latency_count{task_queue="bench"} 40',
    ].join('\n'),
  );

  it('counts requests without polls, persistence busy time, cache misses, evictions and the cache size at the end', () => {
    expect(profile([server0, server1], [sdk0, sdk1])).toEqual({
      requests: 'SignalWorkflowExecution 1000',
      persistenceBusyS: 2.5,
      persistence: 'GetCurrentExecution 2.5 s',
      workflowTaskScheduleToStartMs: null,
      activityTaskScheduleToStartMs: null,
      workflowTaskExecutionMs: 10,
      stickyCacheMisses: 700,
      stickyCacheEvictions: 600,
      stickyCacheSize: 2283,
    });
  });

  it('says nothing about the cache when the SDK endpoint gave no samples', () => {
    const none = snapshot('');
    expect(profile([server0, server1], [none, none])).toMatchObject({
      stickyCacheMisses: null,
      stickyCacheEvictions: null,
      stickyCacheSize: null,
    });
  });
});
