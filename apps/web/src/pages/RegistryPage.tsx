import { Table, Typography } from 'antd';
import { CATEGORIES, CATEGORY_LABELS, GRADE_LABELS, KIND_LABELS } from '../domain/labels';
import { useUnits, type Unit } from '../units';

/** 机构编制台账: each unit's quotas and who holds them (a first view; history and as-of come later). */
export function RegistryPage() {
  const { units } = useUnits();
  return (
    <>
      <Typography.Title level={4}>机构编制台账</Typography.Title>
      <Table<Unit>
        rowKey="id"
        dataSource={units}
        scroll={{ x: true }}
        columns={[
          { title: '单位', dataIndex: 'name' },
          { title: '类别', dataIndex: 'kind', render: (k: string) => KIND_LABELS[k as 'PARTY'] ?? k },
          { title: '规格', dataIndex: 'grade', render: (g: string) => GRADE_LABELS[g as 'COUNTY'] ?? g },
          ...CATEGORIES.map((c) => ({
            title: CATEGORY_LABELS[c],
            key: c,
            render: (_: unknown, u: Unit) => (u.quotas?.[c] ? `${u.occupied?.[c] ?? 0}/${u.quotas[c]}` : ''),
          })),
        ]}
      />
    </>
  );
}

/** 单位详情: a unit's figures, posts, sections, name plates and history (issue 15). */
export function UnitPage() {
  return <Typography.Title level={4}>单位详情</Typography.Title>;
}
