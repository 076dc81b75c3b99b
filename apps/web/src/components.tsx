import { Alert, Card, Descriptions, Table } from 'antd';
import { useRef } from 'react';
import { newKey } from './api/client';
import { CATEGORIES, CATEGORY_LABELS, GRADE_LABELS } from './domain/labels';
import { ruleSentence, type Violation } from './domain/rule-sentences';
import { categoryName, useUnits } from './units';

export interface DiffRow {
  unitId?: string;
  unitName?: string;
  field: string;
  before: unknown;
  after: unknown;
}

const FIELD_LABELS: Record<string, string> = {
  name: '名称',
  grade: '规格',
  status: '状态',
  sections: '内设机构',
  namePlates: '加挂牌子',
  leadershipPosts: '领导职数',
  parentId: '主管部门',
  kind: '类别',
  funding: '经费形式',
};

export function fieldLabel(field: string): string {
  const [head, sub] = field.split('.');
  const cat = sub && (CATEGORY_LABELS as Record<string, string>)[sub];
  if (cat) {
    const what: Record<string, string> = {
      quotas: '核定',
      occupied: '在编',
      pending: '待用',
      loaned: '借用',
      free: '全县未分配',
      lent: '周转池借出',
    };
    return `${cat}（${what[head] ?? head}）`;
  }
  return FIELD_LABELS[field] ?? field;
}

function show(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return (GRADE_LABELS as Record<string, string>)[v] ?? v;
  if (Array.isArray(v))
    return v.length === 0
      ? '无'
      : v
          .map((x) => {
            const p = x as { grade?: string; principal?: number; deputy?: number };
            return typeof x === 'object' && x
              ? `${show(p.grade)} 正职${p.principal ?? 0}名、副职${p.deputy ?? 0}名`
              : show(x);
          })
          .join('；');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** The registry change a request makes: before and after, per unit and field. */
export function DiffTable({ diff }: { diff: DiffRow[] }) {
  const { name } = useUnits();
  return (
    <Table<DiffRow>
      data-testid="diff"
      size="small"
      pagination={false}
      rowKey={(r, i) => `${r.unitId}:${r.field}:${i}`}
      dataSource={diff}
      scroll={{ x: true }}
      locale={{ emptyText: '无台账变化' }}
      columns={[
        {
          title: '单位',
          dataIndex: 'unitId',
          render: (id: string | undefined, r) => (id ? (r.unitName ?? name(id)) : '全县'),
        },
        { title: '项目', dataIndex: 'field', render: fieldLabel },
        { title: '调整前', dataIndex: 'before', render: show },
        { title: '调整后', dataIndex: 'after', render: show },
      ]}
    />
  );
}

export function Violations({ violations }: { violations: Violation[] }) {
  const { name } = useUnits();
  if (violations.length === 0) return <Alert type="success" showIcon message="符合机构编制规定。" />;
  return (
    <Alert
      type="error"
      showIcon
      data-testid="violations"
      message="此调整不符合机构编制规定："
      description={
        <ul style={{ margin: 0, paddingLeft: 18 }}>
          {violations.map((v, i) => (
            <li key={i}>{ruleSentence(v, name, categoryName)}</li>
          ))}
        </ul>
      }
    />
  );
}

/** A unit's current quotas, shown beside a form that changes them. */
export function QuotaCard({ unitId }: { unitId?: string }) {
  const { byId } = useUnits();
  const u = unitId ? byId.get(unitId) : undefined;
  if (!u) return null;
  return (
    <Card size="small" title={`${u.name} 现有编制`} data-testid="quota-card">
      <Descriptions size="small" column={1}>
        {CATEGORIES.filter((c) => u.quotas?.[c] || u.occupied?.[c]).map((c) => (
          <Descriptions.Item key={c} label={CATEGORY_LABELS[c]}>
            核定 {u.quotas?.[c] ?? 0}，在编 {u.occupied?.[c] ?? 0}，空编 {u.actualVacant?.[c] ?? u.vacant?.[c] ?? 0}
          </Descriptions.Item>
        ))}
        <Descriptions.Item label="规格">
          {(GRADE_LABELS as Record<string, string>)[u.grade] ?? u.grade}
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

/**
 * The Idempotency-Key of one user action: made when the action is first sent and kept until it succeeds, so a
 * double click or a retry after a lost answer acts once (docs/api.md "Errors").
 */
export function useActionKey() {
  const key = useRef<string | null>(null);
  return {
    get: () => (key.current ??= newKey()),
    done: () => {
      key.current = null;
    },
  };
}
