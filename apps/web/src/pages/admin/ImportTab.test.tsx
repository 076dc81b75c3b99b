import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { App as AntApp, ConfigProvider } from 'antd';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// The import as the admin goes through it: a file checked whole without writing, its report row by row, and
// 确认导入 only for a file that passed, posting the very same text without dryRun.

const { POST } = vi.hoisted(() => ({ POST: vi.fn() }));
vi.mock('../../api/client', async (original) => ({
  ...(await original<typeof import('../../api/client')>()),
  api: { POST },
}));

const { ImportTab } = await import('./ImportTab');

const answer = (status: number, body: unknown) =>
  Promise.resolve(
    status < 300
      ? { data: body, response: new Response(null, { status }) }
      : { error: body, response: new Response(null, { status }) },
  );

const HEADER = 'ref,name,kind,grade,parentRef,PUBLIC_INSTITUTION,occupied_PUBLIC_INSTITUTION';
const BAD = [HEADER, 'a,县档案馆,PUBLIC_INSTITUTION,STOCK,,10,3', 'b,县史志室,PUBLIC_INSTITUTION,STOCK,,x,2'].join(
  '\n',
);
const GOOD = BAD.replace(',x,2', ',5,2');

function pickFile(text: string, name = 'units.csv') {
  const input = document.querySelector('input[type=file]') as HTMLInputElement;
  fireEvent.change(input, { target: { files: [new File([text], name, { type: 'text/csv' })] } });
}

function renderTab() {
  return render(
    <ConfigProvider button={{ autoInsertSpace: false }}>
      <AntApp>
        <QueryClientProvider client={new QueryClient()}>
          <ImportTab />
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>,
  );
}

beforeEach(() => POST.mockReset());
afterEach(cleanup);

describe('the registry import', () => {
  it('checks a file without writing, reports its bad row, and offers no import', async () => {
    POST.mockReturnValueOnce(
      answer(400, {
        code: 'VALIDATION_FAILED',
        message: 'x',
        details: [{ field: 'units[1].PUBLIC_INSTITUTION', problem: 'x is not a whole number' }],
      }),
    );
    const { container } = renderTab();
    pickFile(BAD);
    const report = await screen.findByTestId('import-report');
    expect(POST).toHaveBeenCalledTimes(1);
    const [path, init] = POST.mock.calls[0];
    expect(path).toBe('/v1/registry/import');
    expect(init.params.query).toEqual({ dryRun: 'true' });
    expect(init.body).toBe(BAD);
    expect(init.bodySerializer(init.body)).toBe(BAD);
    expect(init.headers['Content-Type']).toContain('text/csv');
    expect(report.textContent).toContain('第 3 行');
    expect(report.textContent).toContain('事业编制（核定）');
    expect(report.textContent).toContain('“x”不是整数');
    expect(screen.getByTestId('import-refused').textContent).toContain('文件有 1 处问题，未导入任何数据');
    expect(screen.queryByRole('button', { name: '确认导入' })).toBeNull();
    expect(container.textContent).not.toContain('VALIDATION_FAILED');
  });

  it('imports a file that passed, the same text without dryRun, once', async () => {
    POST.mockReturnValueOnce(answer(201, { dryRun: true, checked: 2, imported: 0, totals: false, units: {} }));
    POST.mockReturnValueOnce(
      answer(201, { dryRun: false, checked: 2, imported: 2, totals: false, units: { a: 'x', b: 'y' } }),
    );
    renderTab();
    pickFile(GOOD);
    const checked = await screen.findByTestId('import-checked');
    expect(checked.textContent).toContain('检查通过：共 2 个单位，尚未写入');
    fireEvent.click(screen.getByRole('button', { name: '确认导入' }));
    await screen.findByTestId('import-done');
    expect(screen.getByTestId('import-done').textContent).toContain('已导入 2 个单位');
    expect(POST).toHaveBeenCalledTimes(2);
    const [, init] = POST.mock.calls[1];
    expect(init.params.query).toEqual({});
    expect(init.params.header['Idempotency-Key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(init.body).toBe(GOOD);
    await waitFor(() => expect(screen.queryByRole('button', { name: '确认导入' })).toBeNull());
  });

  it('sends a JSON file as JSON, and says a failure in words', async () => {
    POST.mockReturnValueOnce(answer(403, { code: 'FORBIDDEN', message: 'x' }));
    renderTab();
    pickFile('{ "units": [] }', 'registry.json');
    await screen.findByText('您无权办理此项操作。');
    expect(POST.mock.calls[0][1].headers['Content-Type']).toBe('application/json');
    expect(screen.getByTestId('import-file').textContent).toContain('registry.json（JSON）');
  });
});
