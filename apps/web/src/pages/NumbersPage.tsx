import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, DatePicker, Empty, Row, Select, Space, Spin, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import type { components } from '../api/schema';
import { EChart } from '../charts/EChart';
import type { ChartOption } from '../charts/echarts';
import { CATEGORY_LABELS } from '../domain/labels';
import { problemSentence } from '../domain/errors';
import { useUnits } from '../units';
import { monthOption, poolUseOption, quotaUseOption, stageOption } from './numbers/chartOptions';
import {
  chinaDateOf,
  chinaTimeOf,
  chinaToday,
  DUE_LABELS,
  endOfChinaDay,
  loanRows,
  overQuotaRows,
  poolRows,
  postsOverQuotaRows,
  SUMMARY_FIELDS,
  summaryRows,
  type LoanRow,
  type OverQuotaRow,
  type PoolRow,
  type PostsRow,
  type Summary,
  type SummaryRow,
  type UnitView,
} from './numbers/figures';
import type { Sheet } from './numbers/sheet';
import { ExportButtons, SheetTable } from './numbers/SheetTable';
import { requestsByStage } from './numbers/stages';

type RequestStatistics = components['schemas']['RequestStatistics'];

const unitLink = (unitId: string, name: string) => <Link to={`/registry/units/${unitId}`}>{name}</Link>;

const summarySheet = (rows: SummaryRow[]): Sheet<SummaryRow> => ({
  name: '编制总体情况',
  rowKey: (r) => r.key,
  rows,
  columns: [
    { key: 'category', title: '编制类别', value: (r) => r.label },
    ...SUMMARY_FIELDS.map(([field, title]) => ({
      key: field,
      title,
      value: (r: SummaryRow) => r.figures[field] ?? '—',
      render:
        field === 'unitsOverQuota'
          ? (r: SummaryRow) => {
              const n = r.figures[field];
              return n ? <Typography.Text type="danger">{n}</Typography.Text> : (n ?? '—');
            }
          : undefined,
    })),
  ],
});

const poolSheet = (rows: PoolRow[]): Sheet<PoolRow> => ({
  name: '周转池编制',
  rowKey: (r) => r.key,
  rows,
  columns: [
    { key: 'category', title: '编制类别', value: (r) => r.label },
    { key: 'size', title: '周转池总量', value: (r) => r.size },
    { key: 'lent', title: '已借出', value: (r) => r.lent },
    { key: 'available', title: '可借', value: (r) => r.available },
  ],
});

const loanSheet = (rows: LoanRow[]): Sheet<LoanRow> => ({
  name: '借出的周转池编制',
  rowKey: (r) => r.key,
  rows,
  columns: [
    { key: 'unit', title: '借用单位', value: (r) => r.unitName, render: (r) => unitLink(r.unitId, r.unitName) },
    { key: 'category', title: '编制类别', value: (r) => CATEGORY_LABELS[r.category] },
    { key: 'count', title: '借用数', value: (r) => r.count },
    { key: 'dueDate', title: '到期日', value: (r) => r.dueDate },
    {
      key: 'due',
      title: '提醒',
      value: (r) => (r.due ? DUE_LABELS[r.due] : ''),
      render: (r) => (r.due ? <Tag color={r.due === 'overdue' ? 'red' : 'orange'}>{DUE_LABELS[r.due]}</Tag> : null),
    },
  ],
});

const overQuotaSheet = (rows: OverQuotaRow[]): Sheet<OverQuotaRow> => ({
  name: '超编单位',
  rowKey: (r) => r.key,
  rows,
  columns: [
    { key: 'unit', title: '单位', value: (r) => r.unitName, render: (r) => unitLink(r.unitId, r.unitName) },
    { key: 'category', title: '编制类别', value: (r) => CATEGORY_LABELS[r.category] },
    { key: 'quotas', title: '核定', value: (r) => r.quotas },
    { key: 'loaned', title: '借用周转池', value: (r) => r.loaned },
    { key: 'occupied', title: '实有', value: (r) => r.occupied },
    { key: 'pending', title: '待入编', value: (r) => r.pending },
    {
      key: 'excess',
      title: '超出',
      value: (r) => r.excess,
      render: (r) => <Typography.Text type="danger">{r.excess}</Typography.Text>,
    },
  ],
});

const postsSheet = (rows: PostsRow[]): Sheet<PostsRow> => ({
  name: '领导职数超过编制的单位',
  rowKey: (r) => r.key,
  rows,
  columns: [
    { key: 'unit', title: '单位', value: (r) => r.unitName, render: (r) => unitLink(r.unitId, r.unitName) },
    { key: 'kind', title: '机构类别', value: (r) => r.kind },
    { key: 'posts', title: '领导职数', value: (r) => r.posts },
    { key: 'against', title: '核算的编制', value: (r) => r.against },
    { key: 'limit', title: '编制数', value: (r) => r.limit },
    {
      key: 'excess',
      title: '超出',
      value: (r) => r.excess,
      render: (r) => <Typography.Text type="danger">{r.excess}</Typography.Text>,
    },
  ],
});

/** A chart in its card: a spinner until the data is there, a sentence when there is nothing to draw. */
function ChartCard(props: {
  title: string;
  testId: string;
  option: ChartOption | null | undefined;
  loading: boolean;
  error?: unknown;
  empty?: string;
  extra?: ReactNode;
}) {
  let body: ReactNode;
  if (props.error) body = <Alert type="error" showIcon title={problemSentence(props.error)} />;
  else if (props.option)
    body = <EChart option={props.option} label={props.title} data-testid={props.testId} height={280} />;
  else if (props.loading) body = <Spin style={{ display: 'block', margin: '120px auto' }} />;
  else body = <Empty description={props.empty ?? '暂无数据'} />;
  return (
    <Card size="small" title={props.title} extra={props.extra} style={{ height: '100%' }}>
      {body}
    </Card>
  );
}

/**
 * 编制统计: the county's numbers as the office reports them (seed 004: 核定、实有、空编、待入编、实际空编 per
 * category), the turnover pool and its loans, the units to correct, and the requests by stage and by month; each
 * table exported as CSV or Excel. As of a past day the figures are the registry's as it stood that evening.
 */
export function StatisticsPage() {
  const today = chinaToday();
  const [date, setDate] = useState<string | null>(null);
  const asOf = date && date < today ? endOfChinaDay(date) : undefined;
  const day = asOf ? date! : today; // the day the figures stand at: files are named after it, loans due from it
  const [months, setMonths] = useState(12);

  const summary = useQuery({
    queryKey: ['summary', asOf ?? 'now'],
    queryFn: () => unwrap<Summary>(api.GET('/v1/establishment/summary', { params: { query: asOf ? { asOf } : {} } })),
    placeholderData: keepPreviousData,
  });
  const statistics = useQuery({
    queryKey: ['statistics', 'requests', months],
    queryFn: () => unwrap<RequestStatistics>(api.GET('/v1/statistics/requests', { params: { query: { months } } })),
    placeholderData: keepPreviousData,
  });
  const { units } = useUnits();

  const s = summary.data;
  const sheets = useMemo(() => {
    const views = units as unknown as UnitView[]; // GET /v1/units: the full UnitView (units.ts types a part)
    const byId = new Map(views.map((u) => [u.id, u.name]));
    const name = (id: string) => byId.get(id) ?? '（未知单位）';
    return {
      summary: summarySheet(s ? summaryRows(s) : []),
      pool: poolSheet(s ? poolRows(s) : []),
      loans: loanSheet(s ? loanRows(s.loans, name, day) : []),
      overQuota: overQuotaSheet(overQuotaRows(views)),
      posts: postsSheet(postsOverQuotaRows(views)),
    };
  }, [s, units, day]);
  const charts = useMemo(
    () => ({
      quota: s && quotaUseOption(s),
      pool: s && poolUseOption(s),
      stages: statistics.data && stageOption(requestsByStage(statistics.data.byStatus)),
      months: statistics.data && monthOption(statistics.data.byMonth),
    }),
    [s, statistics.data],
  );
  const soon = sheets.loans.rows.filter((r) => r.due).length;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap align="center" style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          编制统计 {s && <Tag>{s.year} 年度</Tag>}
        </Typography.Title>
        <Space wrap>
          <span>截至</span>
          <DatePicker
            data-testid="as-of"
            aria-label="截至日期"
            placeholder="今天"
            value={date ? dayjs(date) : null}
            onChange={(d) => setDate(d ? d.format('YYYY-MM-DD') : null)}
            disabledDate={(d) => d.format('YYYY-MM-DD') > today}
          />
          {s && (
            <Typography.Text type="secondary" data-testid="as-of-shown">
              数据时点：{asOf ? `${chinaDateOf(s.asOf)} 日终` : chinaTimeOf(s.asOf)}
            </Typography.Text>
          )}
        </Space>
      </Space>

      {summary.error && <Alert type="error" showIcon title={problemSentence(summary.error)} />}

      <Card
        size="small"
        title="编制总体情况"
        extra={<ExportButtons sheet={sheets.summary} date={day} testId="summary-export" />}
      >
        <SheetTable
          sheet={sheets.summary}
          testId="summary"
          loading={summary.isLoading}
          strong={(r) => r.key === 'sum'}
        />
        <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>
          空编 = 已分配 − 实有；实际空编 = 空编 − 待入编；未分配的编制由县里统筹，不计入空编。
          {s && (
            <span data-testid="bodies">
              {' '}
              党政机构 {s.bodies} 个{s.bodyLimit != null && `，机构限额 ${s.bodyLimit} 个`}。
            </span>
          )}
        </Typography.Paragraph>
      </Card>

      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <ChartCard
            title="编制使用情况（实有、待入编、实际空编）"
            testId="chart-quota"
            option={charts.quota}
            loading={summary.isLoading}
            error={summary.error}
          />
        </Col>
        <Col xs={24} lg={12}>
          <ChartCard
            title="周转池使用情况"
            testId="chart-pool"
            option={charts.pool}
            loading={summary.isLoading}
            error={summary.error}
            empty="本县未设周转池编制"
          />
        </Col>
      </Row>

      <Row gutter={[16, 16]}>
        <Col xs={24} lg={10}>
          <Card
            size="small"
            title="周转池编制"
            style={{ height: '100%' }}
            extra={<ExportButtons sheet={sheets.pool} date={day} testId="pool-export" />}
          >
            <SheetTable
              sheet={sheets.pool}
              testId="pool"
              loading={summary.isLoading}
              empty="本县未设周转池编制"
              strong={(r) => r.key === 'sum'}
            />
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          <Card
            size="small"
            title={<span>借出的周转池编制 {soon > 0 && <Tag color="orange">{soon} 笔 30 天内到期</Tag>}</span>}
            style={{ height: '100%' }}
            extra={<ExportButtons sheet={sheets.loans} date={day} testId="loans-export" />}
          >
            <SheetTable sheet={sheets.loans} testId="loans" loading={summary.isLoading} empty="没有未归还的借用" />
          </Card>
        </Col>
      </Row>

      <Card
        size="small"
        title={`超编单位（${sheets.overQuota.rows.length}）`}
        extra={<ExportButtons sheet={sheets.overQuota} date={today} testId="over-quota-export" />}
      >
        {asOf && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 8 }}
            title="此名单和下方领导职数名单按当前台账列出，不随所选日期变化。"
          />
        )}
        <SheetTable sheet={sheets.overQuota} testId="over-quota" empty="没有超编单位" />
        <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>
          实有与待入编之和超过核定编制与借用的周转池编制之和的单位，须按“满编、超编单位一律不得进人”的规定逐步消化。
        </Typography.Paragraph>
      </Card>

      <Card
        size="small"
        title={`领导职数超过编制的单位（${sheets.posts.rows.length}）`}
        extra={<ExportButtons sheet={sheets.posts} date={today} testId="posts-export" />}
      >
        <SheetTable sheet={sheets.posts} testId="posts" empty="没有领导职数超过编制的单位" />
      </Card>

      <Row gutter={[16, 16]}>
        <Col xs={24} lg={10}>
          <ChartCard
            title="申请事项按环节（当前）"
            testId="chart-stages"
            option={charts.stages}
            loading={statistics.isLoading}
            error={statistics.error}
          />
        </Col>
        <Col xs={24} lg={14}>
          <ChartCard
            title="申请事项按月"
            testId="chart-months"
            option={charts.months}
            loading={statistics.isLoading}
            error={statistics.error}
            extra={
              <Select
                size="small"
                aria-label="月数"
                value={months}
                onChange={setMonths}
                options={[6, 12, 24, 36].map((m) => ({ value: m, label: `近 ${m} 个月` }))}
              />
            }
          />
        </Col>
      </Row>
    </Space>
  );
}
