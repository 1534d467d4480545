import { Card, Col, Descriptions, Row, Typography } from 'antd';
import { useState } from 'react';
import { useSession } from '../../auth/session';
import { useT } from '../../i18n/I18nProvider';
import { UnitTree } from '../../shared/units/UnitTree';
import type { UnitNode } from '../../shared/units/unit-tree';
import { ImportCard } from './ImportCard';

export default function UnitsPage() {
  const t = useT();
  const isAdmin = useSession().data?.roles.includes('office_admin') ?? false;
  const [selected, setSelected] = useState<UnitNode | null>(null);
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={14}>
        <Card
          size="small"
          title={
            <Typography.Title level={1} style={{ fontSize: 16, margin: 0 }}>
              {t('units.title')}
            </Typography.Title>
          }
        >
          <UnitTree height={560} onSelect={setSelected} />
        </Card>
      </Col>
      <Col xs={24} xl={10}>
        {isAdmin && <ImportCard />}
        <Card size="small" title={t('units.detail.title')} style={{ marginTop: isAdmin ? 16 : 0 }}>
          {selected ? (
            <Descriptions size="small" column={1} bordered>
              <Descriptions.Item label="code">{selected.code}</Descriptions.Item>
              <Descriptions.Item label="name">{selected.name}</Descriptions.Item>
              <Descriptions.Item label="kind">{t(`unitKind.${selected.kind}`)}</Descriptions.Item>
              <Descriptions.Item label="children">{selected.children.length}</Descriptions.Item>
            </Descriptions>
          ) : (
            <Typography.Text type="secondary">{t('units.detail.pick')}</Typography.Text>
          )}
        </Card>
      </Col>
    </Row>
  );
}
