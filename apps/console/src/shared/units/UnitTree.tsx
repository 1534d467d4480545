import { Empty, Input, Select, Space, Tag, Tree, Typography } from 'antd';
import type { DataNode } from 'antd/es/tree';
import { useDeferredValue, useMemo, useState } from 'react';
import type { components } from '../../api/schema';
import { useT } from '../../i18n/I18nProvider';
import { ErrorAlert } from '../ErrorAlert';
import { filterTree, flatten, useUnitTree, type UnitNode } from './unit-tree';

export const UNIT_KINDS = [
  'office',
  'agency',
  'university',
  'vocational',
  'school',
  'kindergarten',
  'retirees',
  'general_branch',
  'other',
] as const satisfies readonly components['schemas']['UnitTreeNodeDto']['kind'][];

interface Props {
  /** Checkboxes; checking a node checks its whole subtree (narrowed to the kinds filtered on). */
  checkable?: boolean;
  checked?: string[];
  onCheck?: (codes: string[]) => void;
  /** Pixel height of the (virtualised) tree: 10,000 nodes render only the visible rows. */
  height?: number;
  onSelect?: (node: UnitNode) => void;
}

function toData(nodes: UnitNode[], t: (k: string) => string): DataNode[] {
  return nodes.map((n) => ({
    key: n.code,
    title: (
      <span>
        {n.name} <Typography.Text type="secondary">{n.code}</Typography.Text>{' '}
        <Tag style={{ marginInlineStart: 4 }}>{t(`unitKind.${n.kind}`)}</Tag>
      </span>
    ),
    children: toData(n.children, t),
  }));
}

/** The unit tree with search (code or name) and a kind filter; checkable for choosing whole subtrees. */
export function UnitTree({ checkable, checked, onCheck, height = 520, onSelect }: Props) {
  const t = useT();
  const tree = useUnitTree();
  const [search, setSearch] = useState('');
  const [kinds, setKinds] = useState<string[]>([]);
  const deferredSearch = useDeferredValue(search);
  const [expanded, setExpanded] = useState<string[] | null>(null);

  const all = useMemo(() => flatten(tree.data ?? []), [tree.data]);
  const byCode = useMemo(() => new Map(all.map((x) => [x.node.code, x.node])), [all]);
  const filtered = useMemo(
    () => filterTree(tree.data ?? [], deferredSearch, kinds),
    [tree.data, deferredSearch, kinds],
  );
  const data = useMemo(() => toData(filtered.roots, t), [filtered, t]);
  // Searching opens the way to every match; otherwise the first two levels are open.
  const defaultExpanded = useMemo(
    () =>
      deferredSearch || kinds.length
        ? filtered.expand
        : all.filter((x) => x.depth <= 1 && x.node.children.length > 0).map((x) => x.node.code),
    [deferredSearch, kinds, filtered, all],
  );

  if (tree.error) return <ErrorAlert error={tree.error} />;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Input.Search
          allowClear
          placeholder={t('unitTree.search')}
          aria-label={t('unitTree.search')}
          value={search}
          onChange={(e) => {
            setSearch(e.target.value);
            setExpanded(null);
          }}
          style={{ width: 260 }}
        />
        <Select
          mode="multiple"
          allowClear
          placeholder={t('unitTree.kinds')}
          aria-label={t('unitTree.kinds')}
          value={kinds}
          onChange={(v) => {
            setKinds(v);
            setExpanded(null);
          }}
          style={{ minWidth: 220 }}
          options={UNIT_KINDS.map((k) => ({ value: k, label: t(`unitKind.${k}`) }))}
        />
        <Typography.Text type="secondary">{t('unitTree.count', { n: all.length })}</Typography.Text>
      </Space>
      {tree.isPending ? null : data.length === 0 ? (
        <Empty description={t('unitTree.empty')} />
      ) : (
        <Tree
          virtual
          height={height}
          blockNode
          checkable={checkable}
          showLine
          treeData={data}
          expandedKeys={expanded ?? defaultExpanded}
          onExpand={(keys) => setExpanded(keys as string[])}
          checkedKeys={checked}
          // With a kind filter on, only units of those kinds are chosen (their ancestors are shown, not chosen).
          onCheck={(keys) =>
            onCheck?.(
              ((Array.isArray(keys) ? keys : keys.checked) as string[]).filter(
                (code) => kinds.length === 0 || kinds.includes(byCode.get(code)?.kind ?? ''),
              ),
            )
          }
          onSelect={(_, info) => onSelect?.(byCode.get(String(info.node.key))!)}
        />
      )}
    </Space>
  );
}
