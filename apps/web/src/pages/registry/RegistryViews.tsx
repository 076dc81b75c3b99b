import { DatePicker, Space, Table, Tag, Tree, Typography, type TreeDataNode } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState, type Key } from 'react';
import { Link } from 'react-router';
import { CATEGORIES, CATEGORY_LABELS, type Category } from '../../domain/labels';
import {
  CATEGORY_SHORT,
  asOfQuery,
  buildForest,
  chinaDay,
  countUnits,
  gradeLabel,
  groupByKind,
  kindLabel,
  overPosts,
  overQuota,
  postsLimitName,
  pruneForest,
  quotaCell,
  statusLabel,
  totalPosts,
  type AsOf,
  type UnitFigures,
  type UnitNode,
} from './model';

// The registry's views: the date picker, the marks, the searchable table and the tree of units.

/** 查看某日台账: a day in China time; today or no day is the registry now. */
export function AsOfPicker({ value, onPick }: { value?: AsOf; onPick: (day: string | null) => void }) {
  const today = chinaDay(Date.now());
  return (
    <Space size={4}>
      <Typography.Text type="secondary">查看某日台账</Typography.Text>
      <DatePicker
        aria-label="查看某日台账"
        data-testid="as-of-picker"
        placeholder="当前"
        format="YYYY-MM-DD"
        value={value ? dayjs(value.day) : null}
        disabledDate={(d) => d.format('YYYY-MM-DD') > today}
        onChange={(d) => onPick(d ? d.format('YYYY-MM-DD') : null)}
      />
    </Space>
  );
}

/** The red marks of a unit: 超编 (naming the categories) and 超职数. */
export function OverTags({ unit }: { unit: UnitFigures }) {
  const over = overQuota(unit);
  const posts = overPosts(unit);
  return (
    <>
      {over.length > 0 && (
        <Tag
          color="red"
          data-testid="over-quota"
          title={`实有人数超过核定编制：${over.map((c) => CATEGORY_LABELS[c]).join('、')}`}
        >
          超编
        </Tag>
      )}
      {posts && (
        <Tag
          color="red"
          data-testid="over-posts"
          title={`领导职数 ${posts.posts} 名，超过${postsLimitName(unit.kind)} ${posts.limit} 名`}
        >
          超职数
        </Tag>
      )}
    </>
  );
}

export function StatusTag({ status }: { status: string }) {
  if (status === 'active') return null;
  return <Tag data-testid="unit-status">{statusLabel(status)}</Tag>;
}

const unitLink = (u: UnitFigures, asOfParam?: string | null) => `/registry/units/${u.id}${asOfQuery(asOfParam)}`;

/** Leadership posts in one figure pair: "1正2副" over all grades. */
function postsShort(u: UnitFigures): string {
  const posts = u.leadershipPosts ?? [];
  if (!posts.length) return '—';
  const p = posts.reduce((n, x) => n + x.principal, 0);
  return `${p}正${totalPosts(posts) - p}副`;
}

/** The searchable table: the units given (already filtered), paginated here, each linked to its page. */
export function RegistryTable({
  units,
  parentName,
  asOfParam,
  loading,
}: {
  units: UnitFigures[];
  parentName: (id: string) => string | undefined;
  asOfParam?: string | null;
  loading?: boolean;
}) {
  const [pageSize, setPageSize] = useState(20);
  return (
    // The test id on a wrapper: the table's own attributes stop short of its pagination.
    <div data-testid="registry-table">
      <Table<UnitFigures>
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={units}
        scroll={{ x: true }}
        locale={{ emptyText: '没有符合条件的单位' }}
        pagination={{
          pageSize,
          showSizeChanger: true,
          pageSizeOptions: [20, 50, 100],
          onShowSizeChange: (_, size) => setPageSize(size),
          showTotal: (n) => `共 ${n} 个单位`,
          hideOnSinglePage: false,
        }}
        columns={[
          {
            title: '单位名称',
            key: 'name',
            fixed: 'left',
            render: (_, u) => (
              <Space size={2} orientation="vertical">
                <Space size={4} wrap>
                  <Link to={unitLink(u, asOfParam)} data-testid="unit-link">
                    {u.name}
                  </Link>
                  <StatusTag status={u.status} />
                  <OverTags unit={u} />
                </Space>
                {u.namePlates?.length > 0 && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    加挂：{u.namePlates.join('、')}
                  </Typography.Text>
                )}
              </Space>
            ),
          },
          { title: '机构类别', dataIndex: 'kind', render: kindLabel, responsive: ['md'] },
          { title: '规格', dataIndex: 'grade', render: gradeLabel, responsive: ['md'] },
          {
            title: '主管部门',
            dataIndex: 'parentId',
            responsive: ['lg'],
            render: (p: string | null) => (p ? (parentName(p) ?? '—') : '—'),
          },
          ...CATEGORIES.map((c: Category) => ({
            title: (
              <span>
                {CATEGORY_LABELS[c]}
                <br />
                <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 'normal' }}>
                  核定/实有
                </Typography.Text>
              </span>
            ),
            key: c,
            align: 'right' as const,
            render: (_: unknown, u: UnitFigures) => (
              <span data-testid={`quota-${c}`} style={overQuota(u).includes(c) ? { color: '#cf1322' } : undefined}>
                {quotaCell(u, c)}
              </span>
            ),
          })),
          { title: '领导职数', key: 'posts', render: (_, u) => postsShort(u), responsive: ['lg'] },
        ]}
      />
    </div>
  );
}

function figuresShort(u: UnitFigures): string {
  return CATEGORIES.filter((c) => u.quotas[c] || u.occupied[c])
    .map((c) => `${CATEGORY_SHORT[c]} ${quotaCell(u, c)}`)
    .join(' · ');
}

function treeNodes(nodes: UnitNode<UnitFigures>[], asOfParam?: string | null): TreeDataNode[] {
  return nodes.map((n) => ({
    key: n.unit.id,
    title: (
      <Space size={4} wrap data-testid="tree-unit" data-unit={n.unit.id}>
        <Link to={unitLink(n.unit, asOfParam)} style={n.matched ? undefined : { opacity: 0.6 }}>
          {n.unit.name}
        </Link>
        <StatusTag status={n.unit.status} />
        <OverTags unit={n.unit} />
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {figuresShort(n.unit)}
          {n.children.length > 0 && ` · 下属 ${countUnits(n.children)} 个`}
        </Typography.Text>
      </Space>
    ),
    children: n.children.length ? treeNodes(n.children, asOfParam) : undefined,
  }));
}

/**
 * The units under their parents, first grouped by kind. Only opened branches are drawn (and a long list is
 * scrolled virtually), so 600 units stay light: at first the groups and their top units show; a search opens
 * the branches down to each match.
 */
export function RegistryTree({
  units,
  keep,
  narrowed,
  asOfParam,
}: {
  units: UnitFigures[];
  keep: (u: UnitFigures) => boolean;
  /** A filter beyond the default is on: open the branches down to each match. */
  narrowed: boolean;
  asOfParam?: string | null;
}) {
  const { data, initiallyOpen } = useMemo(() => {
    const { roots, open } = pruneForest(buildForest(units), keep);
    const groups = groupByKind(roots);
    const data: TreeDataNode[] = groups.map((g) => ({
      key: `kind:${g.kind}`,
      title: (
        <Typography.Text strong>
          {kindLabel(g.kind)}（{countUnits(g.nodes)}）
        </Typography.Text>
      ),
      children: treeNodes(g.nodes, asOfParam),
    }));
    const groupKeys = groups.map((g) => `kind:${g.kind}`);
    return { data, initiallyOpen: narrowed ? [...groupKeys, ...open] : groupKeys };
  }, [units, keep, narrowed, asOfParam]);
  const [expanded, setExpanded] = useState<Key[] | null>(null);
  if (data.length === 0) return <Typography.Text type="secondary">没有符合条件的单位</Typography.Text>;
  return (
    <Tree
      data-testid="registry-tree"
      treeData={data}
      expandedKeys={expanded ?? initiallyOpen}
      onExpand={(keys) => setExpanded(keys)}
      selectable={false}
      blockNode
      showLine
      virtual
      height={640}
    />
  );
}
