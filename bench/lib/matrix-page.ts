/// <reference lib="dom" />
/**
 * What bench/console-matrix.ts measures in the page: the first screen of the matrix, and a scroll to its last row
 * one screen per animation frame with every frame's length and the long tasks (≥ 50 ms, PerformanceObserver) seen.
 */
import type { Page } from 'playwright-core';

export interface ScrollFigures {
  frames: number;
  longestFrameMs: number;
  p95FrameMs: number;
  longTasks: number;
  longestTaskMs: number;
  /** The last unit's row was rendered at the end. */
  sawLast: boolean;
  /** At the end, the rows in the DOM are consecutive units in order, each label beside its own cells (rows reuse elements). */
  rowsConsistent: boolean;
}

/** Loads the matrix page; ms from navigation start until the first row's cells are in the DOM. */
export async function firstScreen(page: Page, cycleId: string): Promise<number> {
  await page.goto('/campaigns');
  await page.getByTestId('current-user').waitFor();
  await page.goto(`/cycles/${cycleId}/matrix`);
  await page.waitForSelector('.matrix-strip[data-row]', { timeout: 30_000 });
  return page.evaluate(() => performance.now());
}

/** Scrolls the grid to the bottom one screen per frame (every row new in every frame: the worst case for rendering). */
export async function scrollToEnd(page: Page, lastCode: string): Promise<ScrollFigures> {
  return page.evaluate(async (last) => {
    const el = document.querySelector('[data-testid="matrix-scroll"]') as HTMLElement;
    const tasks: number[] = [];
    const observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => tasks.push(e.duration)));
    observer.observe({ type: 'longtask' });
    const frames: number[] = [];
    let prev = performance.now();
    const frame = async () => {
      await new Promise((r) => requestAnimationFrame(() => r(null)));
      const now = performance.now();
      frames.push(now - prev);
      prev = now;
    };
    while (el.scrollTop + el.clientHeight < el.scrollHeight - 1) {
      el.scrollTop += el.clientHeight;
      await frame();
    }
    // Two more frames so the last screen has rendered.
    await frame();
    await frame();
    observer.disconnect();
    const sorted = [...frames].sort((a, b) => a - b);
    return {
      frames: frames.length,
      longestFrameMs: sorted[sorted.length - 1],
      p95FrameMs: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))],
      longTasks: tasks.length,
      longestTaskMs: tasks.length ? Math.max(...tasks) : 0,
      sawLast: !!document.querySelector(`[data-row="${last}"]`),
      rowsConsistent: (() => {
        const strips = Array.from(document.querySelectorAll<HTMLElement>('.matrix-strip[data-row]'));
        const labels = new Map(
          Array.from(document.querySelectorAll<HTMLElement>('.matrix-label')).map((l) => [
            l.getBoundingClientRect().top,
            l.querySelector('span')?.textContent,
          ]),
        );
        const numbers = strips.map((st) => Number(st.dataset.row!.slice(1)));
        return (
          strips.length > 0 &&
          numbers.every((n, i) => i === 0 || n === numbers[i - 1] + 1) &&
          strips.every((st) => labels.get(st.getBoundingClientRect().top) === st.dataset.row)
        );
      })(),
    };
  }, lastCode);
}
