import { Alert, App, Button, Card, Col, DatePicker, Row, Space, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { problemSentence } from '../../domain/errors';
import { saveFromApi } from '../../download';
import { chinaTimeOf } from '../numbers/figures';
import { useMonthly } from './data';
import { categoryLabel, kindLabel, monthTable, moveRows, thisMonth, type MonthTableLine, type MoveRow } from './model';

// 月报: a month's people put on (上编), taken off (下编) and moved (调动), by unit kind and category, and the
// seed-004 table (核定、实有、空编、待入编、实际空编) as at the month's end with how many of 实有 are on record by
// name (实名); the API's CSV of the same. The month is in the address (?month=2026-11).

const SECTIONS = [
  ['enrolled', '上编'],
  ['disenrolled', '下编'],
  ['transferred', '调动'],
] as const;

const sumRow = (r: { unitKind: string }) => r.unitKind === 'sum';
const bold = (r: { unitKind: string }) => (sumRow(r) ? { style: { fontWeight: 600 } } : {});

export function MonthlyTab() {
  const [params, setParams] = useSearchParams();
  const current = thisMonth();
  const asked = params.get('month');
  const month = asked && /^\d{4}-(0[1-9]|1[0-2])$/.test(asked) && asked <= current ? asked : current;
  const report = useMonthly(month);
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const r = report.data?.month === month ? report.data : undefined;

  const download = async () => {
    setBusy(true);
    try {
      await saveFromApi(`/v1/statistics/monthly?month=${month}&format=csv`, `月报 ${month}.csv`);
    } catch (e) {
      message.error(problemSentence(e));
    } finally {
      setBusy(false);
    }
  };

  const table = r ? monthTable(r.table) : [];
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap align="center" style={{ justifyContent: 'space-between', width: '100%' }}>
        <Space wrap>
          <span>月份</span>
          <DatePicker
            picker="month"
            aria-label="月份"
            data-testid="month"
            allowClear={false}
            value={dayjs(`${month}-01`)}
            disabledDate={(d) => d.format('YYYY-MM') > current}
            onChange={(d) => {
              const next = new URLSearchParams(params);
              const m = d?.format('YYYY-MM');
              if (!m || m === current) next.delete('month');
              else next.set('month', m);
              setParams(next, { replace: true });
            }}
          />
          {r && (
            <Typography.Text type="secondary" data-testid="monthly-as-of">
              台账数据时点：{month === current ? `当前（${chinaTimeOf(r.asOf)}）` : `${month} 月末`}
            </Typography.Text>
          )}
        </Space>
        <Button onClick={download} loading={busy} data-testid="monthly-csv">
          下载月报 CSV
        </Button>
      </Space>
      {report.error && <Alert type="error" showIcon title={problemSentence(report.error)} />}

      <Row gutter={[16, 16]}>
        {SECTIONS.map(([key, title]) => {
          const rows = r ? moveRows(r[key]) : [];
          const total = (r?.[key] ?? []).reduce((n, m) => n + m.count, 0);
          return (
            <Col xs={24} lg={8} key={key}>
              <Card
                size="small"
                title={`本月${title}`}
                extra={<span data-testid={`monthly-${key}-total`}>共 {total} 人</span>}
                data-testid={`monthly-${key}`}
                style={{ height: '100%' }}
              >
                <Table<MoveRow>
                  size="small"
                  rowKey="key"
                  loading={report.isLoading}
                  dataSource={rows}
                  pagination={false}
                  locale={{ emptyText: `本月无${title}` }}
                  onRow={bold}
                  columns={[
                    {
                      title: '机构类别',
                      dataIndex: 'unitKind',
                      render: (k: string) => (k === 'sum' ? '合计' : kindLabel(k)),
                    },
                    { title: '编制类别', dataIndex: 'category', render: (c: string) => (c ? categoryLabel(c) : '') },
                    {
                      title: '人数',
                      dataIndex: 'count',
                      align: 'right',
                      render: (n: number, m) => <span data-testid={`${key}-${m.key}`}>{n}</span>,
                    },
                  ]}
                />
              </Card>
            </Col>
          );
        })}
      </Row>

      <Card size="small" title={`机构编制实名制情况（${month}${month === current ? '，截至目前' : ' 月末'}）`}>
        <Table<MonthTableLine>
          data-testid="monthly-table"
          size="small"
          rowKey="key"
          loading={report.isLoading}
          dataSource={table}
          pagination={false}
          scroll={{ x: true }}
          onRow={bold}
          columns={[
            { title: '机构类别', dataIndex: 'unitKind', render: (k: string) => (k === 'sum' ? '合计' : kindLabel(k)) },
            { title: '编制类别', dataIndex: 'category', render: (c: string) => (c ? categoryLabel(c) : '') },
            ...(
              [
                ['approved', '核定'],
                ['occupied', '实有'],
                ['vacant', '空编'],
                ['pending', '待入编'],
                ['actualVacant', '实际空编'],
                ['named', '实名'],
                ['unnamed', '未实名'],
              ] as const
            ).map(([f, title]) => ({
              title,
              key: f,
              align: 'right' as const,
              render: (_: unknown, row: MonthTableLine) => <span data-testid={`table-${row.key}-${f}`}>{row[f]}</span>,
            })),
          ]}
        />
        <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>
          空编 = 核定 − 实有；实际空编 = 空编 − 待入编；未实名 = 实有 − 实名（尚未录入姓名和公民身份号码的人数）。
        </Typography.Paragraph>
      </Card>
    </Space>
  );
}
