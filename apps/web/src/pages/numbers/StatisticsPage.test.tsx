import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { App as AntApp, ConfigProvider } from 'antd';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StatisticsPage } from '../NumbersPage';
import { chinaToday } from './figures';

// The numbers page as the office sees it, on answers of the API: the seed-004 table cell by cell, the loans due
// soon marked, the units to correct, the charts given, a CSV that reads as the table, errors in words.

const { answers } = vi.hoisted(() => ({ answers: new Map<string, () => unknown>() }));
vi.mock('../../api/client', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../api/client')>();
  return {
    ...real,
    api: {
      GET: async (path: string) => {
        const answer = answers.get(path);
        if (!answer) throw new Error(`unexpected GET ${path}`);
        const body = answer();
        const status = (body as { status?: number }).status ?? 200;
        return status === 200
          ? { data: body, response: new Response(null, { status: 200 }) }
          : { error: body, response: new Response(null, { status }) };
      },
    },
  };
});
// The charts themselves draw in a browser (test/console/numbers.e2e-spec.ts); here: which series they are given.
vi.mock('../../charts/EChart', () => ({
  EChart: (p: { option: { series: { name: string }[] }; 'data-testid': string }) => (
    <div data-testid={p['data-testid']}>{p.option.series.map((s) => s.name).join(',')}</div>
  ),
}));

const zero = { ADMIN: 0, POLITICAL_LEGAL: 0, PUBLIC_INSTITUTION: 0, SCHOOL_STAFF: 0, CONTRACT: 0 };
const fig = (total: number, allocated: number, occupied: number, pending: number, over = 0) => ({
  total,
  allocated,
  free: total - allocated,
  occupied,
  pending,
  vacant: allocated - occupied,
  actualVacant: allocated - occupied - pending,
  unitsOverQuota: over,
});
const inDays = (n: number) => new Date(Date.parse(chinaToday()) + n * 86_400_000).toISOString().slice(0, 10);

function county() {
  answers.set('/v1/establishment/summary', () => ({
    asOf: new Date().toISOString(),
    year: 2026,
    categories: {
      ADMIN: fig(500, 123, 105, 1, 1),
      POLITICAL_LEGAL: fig(60, 50, 48, 0),
      PUBLIC_INSTITUTION: fig(2000, 80, 71, 0),
      SCHOOL_STAFF: fig(3000, 0, 0, 0),
      CONTRACT: fig(50, 0, 0, 0),
    },
    turnoverPool: {
      ...Object.fromEntries(Object.keys(zero).map((c) => [c, { size: 0, lent: 0, available: 0 }])),
      PUBLIC_INSTITUTION: { size: 20, lent: 5, available: 15 },
    },
    loans: [
      { requestId: 'r1', unitId: 'lib', category: 'PUBLIC_INSTITUTION', count: 2, dueDate: inDays(200) },
      { requestId: 'r2', unitId: 'media', category: 'PUBLIC_INSTITUTION', count: 3, dueDate: inDays(10) },
    ],
    bodyLimit: 40,
    bodies: 8,
  }));
  const unit = (id: string, name: string, over: object) => ({
    id,
    name,
    kind: 'GOVERNMENT',
    grade: 'SECTION',
    status: 'active',
    quotas: zero,
    occupied: zero,
    pending: zero,
    loaned: zero,
    leadershipPosts: [],
    ...over,
  });
  answers.set('/v1/units', () => ({
    items: [
      unit('lib', '县图书馆', {}),
      unit('media', '县融媒体中心', {}),
      unit('xf', '县信访局', {
        quotas: { ...zero, ADMIN: 3 },
        occupied: { ...zero, ADMIN: 4 },
        leadershipPosts: [{ grade: 'SECTION', principal: 1, deputy: 3 }],
        corrections: { overQuota: [{ category: 'ADMIN', by: 1 }], overPosts: { posts: 4, limit: 3, by: 1 } },
      }),
    ],
    total: 3,
  }));
  answers.set('/v1/statistics/requests', () => ({
    byStatus: [
      { status: 'demonstration', count: 1 },
      { status: 'implemented', count: 2 },
    ],
    byMonth: [{ month: '2026-05', created: 3, implemented: 2, rejected: 0, withdrawn: 0 }],
  }));
}

function show() {
  return render(
    <ConfigProvider>
      <AntApp>
        <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
          <MemoryRouter>
            <StatisticsPage />
          </MemoryRouter>
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>,
  );
}

const cell = (id: string) => screen.getByTestId(id).textContent;

beforeEach(county);
afterEach(() => {
  cleanup();
  answers.clear();
  vi.restoreAllMocks();
});

describe('编制统计', () => {
  it('shows the summary as the API gives it, category by category, and 合计', async () => {
    show();
    await screen.findByTestId('summary-ADMIN-total');
    expect(
      ['total', 'allocated', 'free', 'occupied', 'vacant', 'pending', 'actualVacant'].map((f) =>
        cell(`summary-ADMIN-${f}`),
      ),
    ).toEqual(['500', '123', '377', '105', '18', '1', '17']);
    expect(cell('summary-sum-total')).toBe('5610');
    expect(cell('summary-sum-actualVacant')).toBe(String(17 + 2 + 9));
    expect(cell('summary-sum-unitsOverQuota')).toBe('—');
    expect(cell('bodies')).toContain('党政机构 8 个，机构限额 40 个');
  });

  it('marks the loan due within 30 days, soonest first, the unit by name', async () => {
    show();
    const loans = await screen.findByTestId('loans');
    await within(loans).findByText('县融媒体中心');
    const rows = loans.querySelectorAll('tbody tr.ant-table-row');
    expect([...rows].map((r) => r.textContent)).toEqual([
      `县融媒体中心事业编制3${inDays(10)}即将到期`,
      `县图书馆事业编制2${inDays(200)}`,
    ]);
    expect(cell('pool-PUBLIC_INSTITUTION-available')).toBe('15');
  });

  it('lists the units over quota and over posts, from the units', async () => {
    show();
    await waitFor(() => expect(cell('over-quota-xf:ADMIN-excess')).toBe('1'));
    expect(cell('posts-xf-posts')).toBe('4');
    expect(screen.getByText('超编单位（1）')).toBeTruthy();
  });

  it('gives each chart its series: quota use, pool use, requests by stage and by month', async () => {
    show();
    expect((await screen.findByTestId('chart-quota')).textContent).toBe('实有,待入编,实际空编');
    expect((await screen.findByTestId('chart-pool')).textContent).toBe('已借出,可借');
    expect((await screen.findByTestId('chart-stages')).textContent).toBe('论证中,已实施');
    expect((await screen.findByTestId('chart-months')).textContent).toBe('新建,已实施,未通过,已撤回');
  });

  it('exports the summary as a CSV that reads as the table, named in Chinese with the date', async () => {
    const blobs: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      blobs.push(b as Blob);
      return 'blob:x';
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    const clicked: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.download);
    });
    show();
    await screen.findByTestId('summary-ADMIN-total');
    fireEvent.click(screen.getByTestId('summary-export-csv'));
    expect(clicked).toEqual([`编制总体情况_${chinaToday()}.csv`]);
    const lines = (await blobs[0].text())
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    const table = screen.getByTestId('summary');
    const header = [...table.querySelectorAll('thead th')].map((th) => th.textContent);
    const body = [...table.querySelectorAll('tbody tr.ant-table-row')].map((tr) =>
      [...tr.querySelectorAll('td')].map((td) => td.textContent),
    );
    expect(lines.map((l) => l.split(','))).toEqual([header, ...body]);
    expect(lines[1]).toBe('行政编制,500,123,377,105,18,1,17,1');
  });

  it('says in words when the API cannot answer', async () => {
    answers.set('/v1/establishment/summary', () => ({ status: 503, code: 'UNAVAILABLE', message: 'x' }));
    show();
    await screen.findAllByText('服务暂时不可用，请稍后重试；未完成的操作不会留下半截。');
    expect(screen.queryByText('UNAVAILABLE')).toBeNull();
  });
});
