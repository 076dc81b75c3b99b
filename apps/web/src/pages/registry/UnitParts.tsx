import { Descriptions, Space, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { CATEGORIES, CATEGORY_LABELS, type Category } from '../../domain/labels';
import type { UnitHistoryEntry, UnitView } from './data';
import {
  asOfQuery,
  causeLabel,
  chinaTime,
  fundingText,
  gradeLabel,
  kindLabel,
  overPosts,
  overQuota,
  postsLimitName,
  postsText,
  statusLabel,
  totalPosts,
  versionChanges,
} from './model';

// A unit's page, in parts: its facts, its figures per category and its history (沿革).

type Figure = 'quotas' | 'occupied' | 'pending' | 'vacant' | 'actualVacant' | 'loaned';
const FIGURES: [Figure, string][] = [
  ['quotas', '核定'],
  ['occupied', '实有'],
  ['pending', '待入编'],
  ['vacant', '空编'],
  ['actualVacant', '实际空编'],
  ['loaned', '周转池借入'],
];

/**
 * 编制情况: per category the API's figures (空编 and 实际空编 as the API computes them). Categories the unit has
 * nothing in are left out.
 */
export function QuotaTable({ unit }: { unit: UnitView }) {
  const over = overQuota(unit);
  const rows = CATEGORIES.filter((c) => FIGURES.some(([f]) => unit[f][c] !== 0)).map((c) => ({ category: c }));
  return (
    <Table<{ category: Category }>
      data-testid="unit-quotas"
      rowKey="category"
      size="small"
      pagination={false}
      dataSource={rows}
      scroll={{ x: true }}
      locale={{ emptyText: '未核定编制' }}
      columns={[
        { title: '编制类别', dataIndex: 'category', render: (c: Category) => CATEGORY_LABELS[c] },
        ...FIGURES.map(([f, title]) => ({
          title,
          key: f,
          align: 'right' as const,
          render: (_: unknown, r: { category: Category }) => {
            const v = unit[f][r.category];
            const red =
              (f === 'occupied' && over.includes(r.category)) || ((f === 'vacant' || f === 'actualVacant') && v < 0);
            return (
              <span data-testid={f} style={red ? { color: '#cf1322' } : undefined}>
                {v}
              </span>
            );
          },
        })),
        {
          title: '',
          key: 'mark',
          render: (_: unknown, r: { category: Category }) =>
            over.includes(r.category) ? (
              <Tag color="red" data-testid="over-quota-row">
                超编
              </Tag>
            ) : null,
        },
      ]}
    />
  );
}

/** 基本情况: kind, grade, funding, parent, credit code, status, name plates, sections and leadership posts. */
export function UnitFacts({
  unit,
  parentName,
  mergedIntoName,
  asOfParam,
}: {
  unit: UnitView;
  parentName?: string;
  mergedIntoName?: string;
  asOfParam?: string | null;
}) {
  const posts = overPosts(unit);
  const link = (id: string, name?: string) => (
    <Link to={`/registry/units/${id}${asOfQuery(asOfParam)}`}>{name ?? '（载入中）'}</Link>
  );
  return (
    <Descriptions
      data-testid="unit-facts"
      size="small"
      bordered
      column={{ xs: 1, md: 2 }}
      items={[
        { key: 'kind', label: '机构类别', children: kindLabel(unit.kind) },
        { key: 'grade', label: '机构规格', children: gradeLabel(unit.grade) },
        { key: 'parent', label: '主管部门', children: unit.parentId ? link(unit.parentId, parentName) : '无' },
        ...(unit.funding ? [{ key: 'funding', label: '经费形式', children: fundingText(unit.funding) }] : []),
        {
          key: 'credit',
          label: '统一社会信用代码',
          children: unit.creditCode ? <Typography.Text copyable>{unit.creditCode}</Typography.Text> : '未登记',
        },
        {
          key: 'status',
          label: '状态',
          children: (
            <span data-testid="unit-status-text">
              {statusLabel(unit.status)}
              {unit.status === 'merged' && unit.mergedInto && <>（并入{link(unit.mergedInto, mergedIntoName)}）</>}
            </span>
          ),
        },
        {
          key: 'posts',
          label: '领导职数',
          span: 'filled' as const,
          children: (
            <Space size={4} wrap data-testid="unit-posts">
              <span>{postsText(unit.leadershipPosts)}</span>
              {unit.leadershipPosts.length > 0 && (
                <Typography.Text type="secondary">共 {totalPosts(unit.leadershipPosts)} 名</Typography.Text>
              )}
              {posts && (
                <Tag color="red" data-testid="over-posts">
                  超职数：超过{postsLimitName(unit.kind)} {posts.limit} 名
                </Tag>
              )}
            </Space>
          ),
        },
        {
          key: 'sections',
          label: `内设机构（${unit.sections.length}）`,
          span: 'filled' as const,
          children: unit.sections.length ? unit.sections.join('、') : '无',
        },
        {
          key: 'plates',
          label: '加挂牌子',
          span: 'filled' as const,
          children: unit.namePlates.length ? unit.namePlates.join('、') : '无',
        },
      ]}
    />
  );
}

interface HistoryRow extends UnitHistoryEntry {
  /** Its place, oldest first: two versions may share a moment. */
  n: number;
  changes: string[];
  first: boolean;
}

/**
 * 沿革: every version, newest first, with when it took effect, its cause, the approving request and its
 * document number, and what it changed. `shown` is the validFrom of the version the page shows.
 */
export function HistoryTable({
  unitId,
  entries,
  shown,
  unitName,
  loading,
}: {
  unitId: string;
  entries: UnitHistoryEntry[];
  shown?: string;
  unitName?: (id: string) => string;
  loading?: boolean;
}) {
  const rows: HistoryRow[] = entries
    .map((e, i) => ({
      ...e,
      n: i,
      changes: versionChanges(i > 0 ? entries[i - 1].unit : undefined, e.unit, unitName),
      first: i === 0,
    }))
    .reverse();
  return (
    <Table<HistoryRow>
      data-testid="unit-history"
      rowKey="n"
      size="small"
      loading={loading}
      dataSource={rows}
      scroll={{ x: true }}
      pagination={rows.length > 20 ? { pageSize: 20 } : false}
      locale={{ emptyText: '暂无记录' }}
      columns={[
        {
          title: '生效时间',
          dataIndex: 'validFrom',
          render: (t: string, r) => (
            <Space size={4} wrap>
              <span>{chinaTime(t)}</span>
              {(shown ? t === shown : r.validTo === null) && (
                <Tag color="blue" data-testid="version-shown">
                  {shown ? '当时有效' : '现行'}
                </Tag>
              )}
            </Space>
          ),
        },
        {
          title: '事由',
          dataIndex: 'cause',
          render: (c: string) => causeLabel(c),
        },
        {
          title: '变化内容',
          key: 'changes',
          render: (_, r) =>
            r.first ? (
              <Typography.Text type="secondary">建立台账记录</Typography.Text>
            ) : r.changes.length ? (
              <ul style={{ margin: 0, paddingLeft: 16 }}>
                {r.changes.map((c) => (
                  <li key={c}>{c}</li>
                ))}
              </ul>
            ) : (
              <Typography.Text type="secondary">台账数据无变化</Typography.Text>
            ),
        },
        {
          title: '批准文号',
          dataIndex: 'documentNumber',
          render: (n: string | null) => (n ? <span data-testid="document-number">{n}</span> : '—'),
        },
        {
          title: '批准事项',
          dataIndex: 'requestId',
          render: (id: string | null) => (id ? <Link to={`/requests/${id}`}>查看事项</Link> : '—'),
        },
        {
          title: '',
          key: 'view',
          render: (_, r) => (
            <Link to={`/registry/units/${unitId}${asOfQuery(r.validFrom)}`} data-testid="view-version">
              查看此版本
            </Link>
          ),
        },
      ]}
    />
  );
}
