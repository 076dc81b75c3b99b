import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { App as AntApp, ConfigProvider } from 'antd';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiProblem } from '../../api/client';
import { totalsRefusal } from './totals';

// 编制总额 as the admin records them: the figures a total may not go below shown beside it, the PUT body whole,
// and a refusal with the API's figures, in words.

const { GET, PUT } = vi.hoisted(() => ({ GET: vi.fn(), PUT: vi.fn() }));
vi.mock('../../api/client', async (original) => ({
  ...(await original<typeof import('../../api/client')>()),
  api: { GET, PUT },
}));
vi.mock('../../session', () => ({ useSession: () => ({ has: (r: string) => r === 'admin' }) }));

const { TotalsTab, totalsBody } = await import('./TotalsTab');

const ok = (body: unknown) => Promise.resolve({ data: body, response: new Response(null, { status: 200 }) });
const summary = {
  year: 2026,
  categories: {
    ADMIN: { total: 500, allocated: 140, free: 360 },
    POLITICAL_LEGAL: { total: 60, allocated: 50, free: 10 },
    PUBLIC_INSTITUTION: { total: 2000, allocated: 80, free: 1920 },
    SCHOOL_STAFF: { total: 3000, allocated: 0, free: 3000 },
    CONTRACT: { total: 50, allocated: 0, free: 50 },
  },
  turnoverPool: {
    ADMIN: { size: 0, lent: 0, available: 0 },
    POLITICAL_LEGAL: { size: 0, lent: 0, available: 0 },
    PUBLIC_INSTITUTION: { size: 20, lent: 4, available: 16 },
    SCHOOL_STAFF: { size: 0, lent: 0, available: 0 },
    CONTRACT: { size: 0, lent: 0, available: 0 },
  },
  bodyLimit: null,
  bodies: 9,
};

beforeEach(() => {
  GET.mockReset().mockImplementation(() => ok(summary));
  PUT.mockReset();
});
afterEach(cleanup);

function renderTab() {
  return render(
    <ConfigProvider button={{ autoInsertSpace: false }}>
      <AntApp>
        <QueryClientProvider client={new QueryClient()}>
          <TotalsTab />
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>,
  );
}

describe('the totals', () => {
  it('show each category with what units hold and the pool, and the body limit', async () => {
    renderTab();
    await screen.findByText('1920');
    const table = screen.getByTestId('totals').textContent!;
    expect(table).toContain('政法专项编制');
    expect(table).toContain('各单位已核定');
    expect(screen.getByText('未设限额')).toBeTruthy();
    expect(screen.getByText('9 个')).toBeTruthy();
  });

  it('records new ones: every category, the pool and the limit in one body', async () => {
    PUT.mockReturnValueOnce(ok({}));
    renderTab();
    await screen.findByText('1920');
    fireEvent.click(screen.getByRole('button', { name: '登记新的编制总额' }));
    const admin = await screen.findByLabelText('行政编制总额');
    expect((admin as HTMLInputElement).value).toBe('500');
    fireEvent.change(admin, { target: { value: '520' } });
    fireEvent.click(screen.getByLabelText('不设限额'));
    const limit = screen.getByLabelText('机构限额') as HTMLInputElement;
    await waitFor(() => expect(limit.disabled).toBe(false));
    fireEvent.change(limit, { target: { value: '12' } });
    fireEvent.click(screen.getByRole('button', { name: '保存' }));
    await waitFor(() => expect(PUT).toHaveBeenCalled());
    expect(PUT.mock.calls[0][1].body).toEqual({
      year: 2026,
      totals: { ADMIN: 520, POLITICAL_LEGAL: 60, PUBLIC_INSTITUTION: 2000, SCHOOL_STAFF: 3000, CONTRACT: 50 },
      turnoverPool: { ADMIN: 0, POLITICAL_LEGAL: 0, PUBLIC_INSTITUTION: 20, SCHOOL_STAFF: 0, CONTRACT: 0 },
      bodyLimit: 12,
    });
  });

  it('shows a refusal with its figures, never a code', async () => {
    PUT.mockReturnValueOnce(
      Promise.resolve({
        error: {
          code: 'RULE_VIOLATION',
          message: 'x',
          details: [
            { rule: 'TOTAL_BELOW_ALLOCATED', field: 'totals', category: 'ADMIN', total: 100, allocated: 140 },
            { rule: 'TOTAL_BELOW_ALLOCATED', field: 'turnoverPool', category: 'PUBLIC_INSTITUTION', size: 2, lent: 4 },
          ],
        },
        response: new Response(null, { status: 422 }),
      }),
    );
    const { container } = renderTab();
    await screen.findByText('1920');
    fireEvent.click(screen.getByRole('button', { name: '登记新的编制总额' }));
    fireEvent.change(await screen.findByLabelText('行政编制总额'), { target: { value: '100' } });
    fireEvent.click(screen.getByRole('button', { name: '保存' }));
    const refusal = await screen.findByTestId('totals-refusal');
    expect(refusal.textContent).toContain('行政编制总额不能定为 100 名：各单位已核定 140 名。');
    expect(refusal.textContent).toContain('周转池事业编制不能定为 2 名：已借给各单位 4 名，须先收回。');
    expect(container.textContent).not.toContain('TOTAL_BELOW_ALLOCATED');
  });
});

describe('totalsRefusal', () => {
  it('says the body limit and a malformed field in words', () => {
    expect(
      totalsRefusal(
        new ApiProblem(422, 'RULE_VIOLATION', 'x', [{ rule: 'BODY_LIMIT_EXCEEDED', bodyLimit: 8, bodies: 9 }]),
      ),
    ).toEqual(['不能保存：', '机构限额不能定为 8 个：现有党政机构 9 个。']);
    expect(
      totalsRefusal(
        new ApiProblem(400, 'VALIDATION_FAILED', 'x', [
          { field: 'totals.SCHOOL_STAFF', problem: 'SCHOOL_STAFF must not be less than 0' },
        ]),
      ),
    ).toEqual(['填写的内容有误，请按提示修改。', '中小学教职工编制总额：不能小于 0']);
  });

  it('makes a whole body of a form with blanks', () => {
    expect(
      totalsBody({
        year: 2027,
        totals: { ADMIN: 1 } as never,
        turnoverPool: {} as never,
        bodyLimit: 5,
        noBodyLimit: true,
      }),
    ).toEqual({
      year: 2027,
      totals: { ADMIN: 1, POLITICAL_LEGAL: 0, PUBLIC_INSTITUTION: 0, SCHOOL_STAFF: 0, CONTRACT: 0 },
      turnoverPool: { ADMIN: 0, POLITICAL_LEGAL: 0, PUBLIC_INSTITUTION: 0, SCHOOL_STAFF: 0, CONTRACT: 0 },
      bodyLimit: null,
    });
  });
});
