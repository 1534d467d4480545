import { Tag } from 'antd';
import type { ReactNode } from 'react';
import type { Bucket } from './tasks';

/**
 * antd's light preset tags (orange, cyan, green, volcano) put their text below 4.5:1 (axe color-contrast): the
 * portal's status tags are white text on dark hues of the same families instead.
 */
const HUES: Record<Bucket, string> = {
  overdue: '#a8071a',
  returned: '#ad2102',
  due_soon: '#ad4e00',
  open: '#0958d9',
  submitted: '#006d75',
  upcoming: '#595959',
  done: '#237804',
};

export function BucketTag({ bucket, children }: { bucket: string; children: ReactNode }) {
  const hue = HUES[bucket as Bucket] ?? HUES.upcoming;
  return (
    <Tag style={{ color: '#fff', background: hue, borderColor: hue, marginInlineEnd: 0 }} data-bucket={bucket}>
      {children}
    </Tag>
  );
}
