import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/schema';

export type UnitNode = components['schemas']['UnitTreeNodeDto'];
export const UNIT_TREE_KEY = ['units', 'tree'] as const;

/** GET /api/units/tree, cached: the unit tree changes only by imports (which invalidate UNIT_TREE_KEY). */
export function useUnitTree() {
  return useQuery({ queryKey: UNIT_TREE_KEY, queryFn: () => unwrap(api.GET('/api/units/tree')), staleTime: 60_000 });
}

export interface FlatUnit {
  node: UnitNode;
  parent: string | null;
  depth: number;
}

/** Every node once, depth-first, with its parent's code and depth — for counting and code → node lookups. */
export function flatten(roots: UnitNode[]): FlatUnit[] {
  const out: FlatUnit[] = [];
  const stack: FlatUnit[] = roots.map((node) => ({ node, parent: null, depth: 0 })).reverse();
  while (stack.length) {
    const item = stack.pop()!;
    out.push(item);
    for (let i = item.node.children.length - 1; i >= 0; i--)
      stack.push({ node: item.node.children[i], parent: item.node.code, depth: item.depth + 1 });
  }
  return out;
}

/**
 * The tree narrowed to nodes matching `search` (code or name, case-insensitive) and `kinds`, keeping the ancestors of
 * every match so it is shown in place. Returns the narrowed roots and the codes to expand (ancestors of matches).
 */
export function filterTree(
  roots: UnitNode[],
  search: string,
  kinds: string[],
): { roots: UnitNode[]; expand: string[] } {
  const q = search.trim().toLowerCase();
  if (!q && kinds.length === 0) return { roots, expand: [] };
  const expand: string[] = [];
  const visit = (node: UnitNode): UnitNode | null => {
    const children = node.children.map(visit).filter((c): c is UnitNode => c !== null);
    const matches =
      (!q || node.code.toLowerCase().includes(q) || node.name.toLowerCase().includes(q)) &&
      (kinds.length === 0 || kinds.includes(node.kind));
    if (!matches && children.length === 0) return null;
    if (children.length) expand.push(node.code);
    return { ...node, children };
  };
  return { roots: roots.map(visit).filter((n): n is UnitNode => n !== null), expand };
}
