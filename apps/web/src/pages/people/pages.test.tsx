import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { App as AntApp, ConfigProvider } from 'antd';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PeoplePage, PersonPage } from '../PeoplePage';
import { PeopleImportTab } from '../admin/PeopleImportTab';
import { PeoplePayloadView } from './PayloadView';

// The 实名制 pages on answers of the API: what each role is offered, a clerk's own unit with 实有/实名/未实名 and
// masked numbers, a person's moves with their document numbers, the month's tables, a reconciliation's findings,
// the admin's import refused by row and then confirmed, a people request's payload in words.

const { answers, asked, posted, saved, roles } = vi.hoisted(() => ({
  answers: new Map<string, (query: Record<string, unknown>) => unknown>(),
  asked: [] as { path: string; query: unknown }[],
  posted: [] as { path: string; query: unknown; body: unknown; headers: unknown }[],
  saved: [] as { what: string; name: string }[],
  roles: { now: ['clerk'] as string[] },
}));

const reply = (body: unknown) => {
  const status = (body as { statusCode?: number })?.statusCode ?? 200;
  return status < 400
    ? { data: body, response: new Response(null, { status }) }
    : { error: body, response: new Response(null, { status }) };
};

vi.mock('../../api/client', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../api/client')>();
  type Init = {
    params?: { path?: { id?: string }; query?: Record<string, unknown> };
    body?: unknown;
    headers?: unknown;
  };
  const at = (path: string, init?: Init) => path.replace('{id}', init?.params?.path?.id ?? '');
  return {
    ...real,
    api: {
      GET: async (path: string, init?: Init) => {
        asked.push({ path: at(path, init), query: init?.params?.query });
        const answer = answers.get(at(path, init)) ?? answers.get(path);
        if (!answer) throw new Error(`unexpected GET ${at(path, init)}`);
        return reply(answer(init?.params?.query ?? {}));
      },
      POST: async (path: string, init?: Init) => {
        posted.push({ path, query: init?.params?.query, body: init?.body, headers: init?.headers });
        const answer = answers.get(`POST ${path}`);
        if (!answer) throw new Error(`unexpected POST ${path}`);
        return reply(answer(init?.params?.query ?? {}));
      },
    },
  };
});
vi.mock('../../session', () => ({
  useSession: () => ({
    me: {
      id: 'me',
      username: 'me',
      displayName: 'me',
      roles: roles.now,
      unitId: roles.now.includes('clerk') ? 'fin' : null,
    },
    has: (...r: string[]) => r.some((x) => roles.now.includes(x)),
  }),
}));
vi.mock('../../download', () => ({
  saveBlob: (blob: Blob, name: string) => saved.push({ what: `blob:${blob.size}`, name }),
  saveFromApi: async (path: string, name: string) => saved.push({ what: path, name }),
}));

const zero = { ADMIN: 0, POLITICAL_LEGAL: 0, PUBLIC_INSTITUTION: 0, SCHOOL_STAFF: 0, CONTRACT: 0 };
const unit = (id: string, name: string, over: object = {}) => ({
  id,
  name,
  kind: 'GOVERNMENT',
  grade: 'SECTION',
  status: 'active',
  parentId: null,
  quotas: zero,
  occupied: zero,
  pending: zero,
  loaned: zero,
  vacant: zero,
  actualVacant: zero,
  ...over,
});
const UNITS = [
  unit('fin', '县财政局', { quotas: { ...zero, ADMIN: 20 }, occupied: { ...zero, ADMIN: 18 } }),
  unit('centre', '县财政国库支付中心', { parentId: 'fin', kind: 'PUBLIC_INSTITUTION' }),
  unit('edu', '县教育局'),
];
const person = (id: string, name: string, over: object = {}) => ({
  id,
  name,
  idNumberMasked: '1101**********002X',
  unitId: 'fin',
  category: 'ADMIN',
  status: 'on',
  since: '2026-03-01T02:00:00.000Z',
  ...over,
});

function county() {
  answers.clear();
  asked.length = 0;
  posted.length = 0;
  saved.length = 0;
  answers.set('/v1/units', () => ({ items: UNITS, total: UNITS.length }));
  answers.set('/v1/units/fin', () => UNITS[0]);
  answers.set('/v1/people', (q) => {
    const on = [person('p1', '张三'), person('p2', '李四')];
    if (q.q === '张') return { items: [on[0]], total: 1, page: 1, pageSize: 20 };
    return { items: on, total: on.length, page: 1, pageSize: Number(q.pageSize ?? 20) };
  });
}

function show(ui: React.ReactNode, at: string, path = '*') {
  return render(
    <ConfigProvider>
      <AntApp>
        <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
          <MemoryRouter initialEntries={[at]}>
            <Routes>
              <Route path={path} element={ui} />
            </Routes>
          </MemoryRouter>
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>,
  );
}

beforeEach(county);
afterEach(cleanup);

const tabs = () => screen.queryAllByRole('tab').map((t) => t.textContent);

describe('人员名册', () => {
  it('gives a clerk its own unit: 实有, 实名, 未实名, and the people with masked numbers', async () => {
    roles.now = ['clerk'];
    show(<PeoplePage tab="roster" />, '/people');
    expect(tabs()).toEqual(['人员名册']);
    const counts = await screen.findByTestId('named-counts');
    await within(counts).findByText('县财政局 实名情况');
    await waitFor(() => expect(within(counts).getByTestId('ADMIN-named').textContent).toBe('2'));
    expect(within(counts).getByTestId('ADMIN-occupied').textContent).toBe('18');
    expect(within(counts).getByTestId('ADMIN-unnamed').textContent).toBe('16');
    expect(within(counts).getByText(/多出的 16 人尚未录入姓名和公民身份号码/)).toBeTruthy();
    const table = screen.getByTestId('people-table');
    await within(table).findByText('共 2 人');
    expect(
      within(table)
        .getAllByTestId('id-number')
        .map((c) => c.textContent),
    ).toEqual(['1101**********002X', '1101**********002X']);
    // The list was asked for the clerk's unit, people on; the counts read the unit's people on whole.
    const people = asked.filter((a) => a.path === '/v1/people').map((a) => a.query);
    expect(people).toContainEqual({ page: 1, pageSize: 20, unitId: 'fin', status: 'on' });
    expect(people).toContainEqual({ unitId: 'fin', status: 'on', page: 1, pageSize: 200 });
  });

  it('searches by name or whole ID number, the query in the address', async () => {
    roles.now = ['clerk'];
    show(<PeoplePage tab="roster" />, '/people?q=%E5%BC%A0');
    const table = screen.getByTestId('people-table');
    await within(table).findByText('共 1 人');
    expect(within(table).getByRole('link', { name: '张三' }).getAttribute('href')).toBe('/people/p1');
  });

  it('shows the office the full number the API gives it, and every tab of its role', async () => {
    roles.now = ['reviewer'];
    answers.set('/v1/people', () => ({
      items: [person('p1', '张三', { idNumber: '11010519491231002X' })],
      total: 1,
      page: 1,
      pageSize: 20,
    }));
    show(<PeoplePage tab="roster" />, '/people');
    expect(tabs()).toEqual(['人员名册', '月报', '核查']);
    await waitFor(() => expect(screen.getByTestId('id-number').textContent).toBe('11010519491231002X'));
    expect(screen.queryByTestId('named-counts')).toBeNull(); // the county, no unit chosen
  });

  it('offers the chair the monthly report but not the reconciliation', () => {
    roles.now = ['committee_chair'];
    show(<PeoplePage tab="reconcile" />, '/people/reconcile');
    expect(screen.getByText('您无权办理此项操作。')).toBeTruthy();
  });
});

describe("a person's page", () => {
  it('shows where the person is on and each move with its document number and request', async () => {
    roles.now = ['clerk'];
    answers.set('/v1/people/p1', () => ({
      ...person('p1', '张三', { unitId: 'edu', category: 'PUBLIC_INSTITUTION' }),
      history: [
        {
          at: '2026-01-05T02:00:00.000Z',
          action: 'IMPORTED',
          unitId: 'fin',
          category: 'ADMIN',
          fromUnitId: null,
          fromCategory: null,
          channel: null,
          reason: null,
          date: null,
          requestId: null,
          documentNumber: null,
        },
        {
          at: '2026-03-01T02:00:00.000Z',
          action: 'TRANSFERRED',
          unitId: 'edu',
          category: 'PUBLIC_INSTITUTION',
          fromUnitId: 'fin',
          fromCategory: 'ADMIN',
          channel: null,
          reason: null,
          date: null,
          requestId: 'r7',
          documentNumber: '清编办〔2026〕7号',
        },
      ],
    }));
    show(<PersonPage />, '/people/p1', '/people/:id');
    await screen.findByText('从 县财政局 行政编制 调动到 县教育局 事业编制');
    expect(screen.getByTestId('person-id-number').textContent).toBe('1101**********002X');
    expect(screen.getByText('（完整号码仅编办可见）')).toBeTruthy();
    const moves = screen.getAllByTestId('history-entry');
    expect(moves.map((m) => m.dataset.action)).toEqual(['IMPORTED', 'TRANSFERRED']);
    expect(within(moves[1]).getByTestId('document-number').textContent).toBe('清编办〔2026〕7号');
    expect(within(moves[1]).getByRole('link', { name: '查看事项' }).getAttribute('href')).toBe('/requests/r7');
    expect(within(moves[1]).getByText('现状')).toBeTruthy();
  });

  it('says so for a person the caller may not see', async () => {
    answers.set('/v1/people/p9', () => ({ statusCode: 404, code: 'NOT_FOUND', message: 'x' }));
    show(<PersonPage />, '/people/p9', '/people/:id');
    await screen.findByText('没有找到该人员，或不在您可以查看的单位。');
  });
});

describe('月报', () => {
  it('shows the month’s moves and the seed-004 table with 实名, and downloads the API’s CSV', async () => {
    roles.now = ['reviewer'];
    answers.set('/v1/statistics/monthly', (q) => ({
      month: q.month,
      asOf: '2026-11-30T15:59:59.999Z',
      enrolled: [
        { unitKind: 'GOVERNMENT', category: 'ADMIN', count: 2 },
        { unitKind: 'PUBLIC_INSTITUTION', category: 'PUBLIC_INSTITUTION', count: 1 },
      ],
      disenrolled: [],
      transferred: [{ unitKind: 'PARTY', category: 'ADMIN', count: 1 }],
      table: [
        {
          unitKind: 'GOVERNMENT',
          category: 'ADMIN',
          approved: 100,
          occupied: 90,
          vacant: 10,
          pending: 2,
          actualVacant: 8,
          named: 85,
        },
      ],
    }));
    show(<PeoplePage tab="monthly" />, '/people/monthly?month=2026-11');
    await screen.findByText('台账数据时点：2026-11 月末');
    expect(screen.getByTestId('monthly-enrolled-total').textContent).toBe('共 3 人');
    expect(screen.getByTestId('enrolled-GOVERNMENT/ADMIN').textContent).toBe('2');
    expect(screen.getByTestId('enrolled-sum').textContent).toBe('3');
    expect(within(screen.getByTestId('monthly-disenrolled')).getByText('本月无下编')).toBeTruthy();
    expect(within(screen.getByTestId('monthly-transferred')).getByText('党委机构')).toBeTruthy();
    expect(screen.getByTestId('table-GOVERNMENT/ADMIN-named').textContent).toBe('85');
    expect(screen.getByTestId('table-GOVERNMENT/ADMIN-unnamed').textContent).toBe('5');
    expect(screen.getByTestId('table-GOVERNMENT/ADMIN-actualVacant').textContent).toBe('8');
    fireEvent.click(screen.getByTestId('monthly-csv'));
    await waitFor(() =>
      expect(saved).toEqual([{ what: '/v1/statistics/monthly?month=2026-11&format=csv', name: '月报 2026-11.csv' }]),
    );
  });
});

const upload = (name: string, text: string) => {
  const input = document.querySelector('input[type=file]') as HTMLInputElement;
  fireEvent.change(input, { target: { files: [new File([text], name, { type: 'text/csv' })] } });
};

describe('核查', () => {
  it('sends the roster as CSV and shows each finding list with its counts and the invalid rows', async () => {
    roles.now = ['auditor'];
    answers.set('POST /v1/people/reconcile', () => ({
      at: '2026-11-20T02:00:00.000Z',
      unitId: null,
      counts: { rosterRows: 4, peopleOn: 3, notOnEstablishment: 1, notOnRoster: 1, unitDiffers: 1, invalid: 1 },
      notOnEstablishment: [{ row: 2, name: '赵丽', idNumberMasked: '3301**********0551', rosterUnit: '县财政局' }],
      notOnRoster: [
        { personId: 'p2', name: '李四', idNumberMasked: '1101**********002X', unitId: 'fin', unitName: '县财政局' },
      ],
      unitDiffers: [
        {
          row: 0,
          personId: 'p1',
          name: '张三',
          idNumberMasked: '1101**********002X',
          rosterUnit: '县教育局',
          unitId: 'fin',
          unitName: '县财政局',
        },
      ],
      invalid: [
        {
          field: 'rows[3].idNumber',
          problem: "the check character is 1, the number's is X (GB 11643)",
          rule: 'INVALID_ID_NUMBER',
          row: 3,
        },
      ],
    }));
    show(<PeoplePage tab="reconcile" />, '/people/reconcile');
    expect(tabs()).toEqual(['人员名册', '月报', '核查']);
    upload('roster.csv', 'name,idNumber,unit\n张三,11010519491231002X,县教育局\n');
    const result = await screen.findByTestId('reconcile-result');
    expect(posted[0]).toMatchObject({
      path: '/v1/people/reconcile',
      body: 'name,idNumber,unit\n张三,11010519491231002X,县教育局\n',
      headers: { 'Content-Type': 'text/csv; charset=utf-8' },
    });
    expect(within(screen.getByTestId('count-notOnRoster')).getByText('1')).toBeTruthy();
    expect(within(screen.getByTestId('finding-notOnEstablishment')).getByText('第 4 行')).toBeTruthy();
    expect(within(screen.getByTestId('finding-notOnRoster')).getByRole('link', { name: '李四' })).toBeTruthy();
    const differs = within(screen.getByTestId('finding-unitDiffers'));
    expect(differs.getByText('县教育局')).toBeTruthy();
    expect(differs.getByText('县财政局')).toBeTruthy();
    expect(
      within(screen.getByTestId('finding-invalid')).getByText('公民身份号码校验码不符：末位是 1，应为 X'),
    ).toBeTruthy();
    fireEvent.click(within(result).getByTestId('reconcile-csv'));
    expect(saved.map((s) => s.name)).toEqual(['核查结果 2026-11-20.csv']);
  });

  it('says what the roster must look like when the API cannot read it', async () => {
    roles.now = ['reviewer'];
    answers.set('POST /v1/people/reconcile', () => ({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: 'x',
      details: [{ field: 'csv', problem: 'the roster needs the columns name,idNumber,unit' }],
    }));
    show(<PeoplePage tab="reconcile" />, '/people/reconcile');
    upload('roster.csv', 'a,b\n1,2\n');
    await screen.findByText(/花名册无法读取：须为 CSV 文件/);
  });
});

describe('人员导入', () => {
  it('checks the file whole first, lists every problem by row, and imports only a file that passed', async () => {
    roles.now = ['admin'];
    let bad = true;
    answers.set('POST /v1/people/import', (q) =>
      bad
        ? {
            statusCode: 400,
            code: 'VALIDATION_FAILED',
            message: 'x',
            details: [
              {
                field: 'people[1].idNumber',
                problem: "the check character is 1, the number's is X (GB 11643)",
                rule: 'INVALID_ID_NUMBER',
                row: 1,
              },
              {
                field: 'people[2].idNumber',
                problem: 'the same person as people[0]',
                rule: 'DUPLICATE_PERSON',
                row: 2,
              },
            ],
          }
        : { imported: q.dryRun ? 0 : 3, checked: 3, dryRun: !!q.dryRun },
    );
    show(<PeopleImportTab />, '/admin?tab=people');
    upload('people.csv', 'name,idNumber,unitId,category\n');
    const report = await screen.findByTestId('people-import-report');
    expect(within(report).getByText('第 3 行')).toBeTruthy();
    expect(within(report).getByText('公民身份号码校验码不符：末位是 1，应为 X')).toBeTruthy();
    expect(within(report).getByText('与第 2 行是同一人（公民身份号码相同）')).toBeTruthy();
    expect(screen.getByText('文件有 2 处问题，未导入任何人员。请修改后重新选择文件。')).toBeTruthy();
    expect(screen.queryByRole('button', { name: '确认导入' })).toBeNull();
    expect(posted[0]).toMatchObject({
      query: { dryRun: 'true' },
      headers: { 'Content-Type': 'text/csv; charset=utf-8' },
    });

    bad = false;
    upload('people-fixed.json', '{"people":[]}');
    await screen.findByText('检查通过：共 3 人，尚未写入。');
    expect(posted[1]).toMatchObject({ query: { dryRun: 'true' }, headers: { 'Content-Type': 'application/json' } });
    fireEvent.click(screen.getByRole('button', { name: '确认导入' }));
    await screen.findByText('已导入 3 人，已记入审计记录。');
    expect(posted[2]).toMatchObject({ query: {}, body: '{"people":[]}' });
  });
});

describe("a people request's page", () => {
  it('says the payload in words: the person, the masked number, where from and where to', async () => {
    roles.now = ['reviewer'];
    show(
      <PeoplePayloadView
        type="TRANSFER_PERSON"
        payload={{
          personId: 'p1',
          toUnitId: 'edu',
          category: 'PUBLIC_INSTITUTION',
          person: { name: '张三', idNumberMasked: '1101**********002X', unitId: 'fin', category: 'ADMIN' },
        }}
      />,
      '/requests/r1',
    );
    await screen.findByText('张三调动到县教育局事业编制。');
    expect(screen.getByText('申请内容（人员调动）')).toBeTruthy();
    expect(screen.getByRole('link', { name: '张三' }).getAttribute('href')).toBe('/people/p1');
    expect(screen.getByText('1101**********002X')).toBeTruthy();
    expect(screen.getByText('县财政局 行政编制')).toBeTruthy();
    expect(screen.getByText('县教育局 事业编制')).toBeTruthy();
  });
});
