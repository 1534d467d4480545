import { useEffect, useRef } from 'react';

export interface ReviewKeyActions {
  next: () => void;
  prev: () => void;
  accept: () => void;
  /** r: put the cursor in the comment box (the return is sent from there with Ctrl+Enter). */
  startReturn: () => void;
  sendReturn: () => void;
}

const typing = (el: EventTarget | null) =>
  el instanceof HTMLElement && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));

/**
 * The reviewer's keys for working through a long queue: j/k or ↓/↑ move, a accepts, r opens the comment, Ctrl+Enter
 * (or ⌘+Enter) in the comment returns, Esc leaves the comment. Letters typed into a field are never shortcuts.
 */
export function useReviewKeys(actions: ReviewKeyActions) {
  const latest = useRef(actions);
  latest.current = actions;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const a = latest.current;
      if (typing(e.target)) {
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && (e.target as HTMLElement).id === 'review-comment') {
          e.preventDefault();
          a.sendReturn();
        } else if (e.key === 'Escape') (e.target as HTMLElement).blur();
        return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey || document.querySelector('.ant-modal-wrap')) return;
      const action = (
        { j: a.next, ArrowDown: a.next, k: a.prev, ArrowUp: a.prev, a: a.accept, r: a.startReturn } as Record<
          string,
          (() => void) | undefined
        >
      )[e.key];
      if (!action) return;
      e.preventDefault();
      action();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
