import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { ConfigProvider } from 'antd';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RegistryPage } from '../RegistryPage';

// The registry page around its data: the filters and the date live in the URL, the date reaches the API as the
// end of the day in China time, and a date the page cannot read is said so.

const zero = { ADMIN: 0, POLITICAL_LEGAL: 0, PUBLIC_INSTITUTION: 0, SCHOOL_STAFF: 0, CONTRACT: 0 };
const unit = (id: string, name: string, status = 'active') => ({
  ...{ id, name, kind: 'GOVERNMENT', grade: 'SECTION', parentId: null, status },
  ...{ quotas: zero, occupied: zero, pending: zero, loaned: zero, vacant: zero, actualVacant: zero },
  ...{ leadershipPosts: [], sections: [], namePlates: [] },
});
const asked: (string | undefined)[] = [];
vi.mock('./data', () => ({
  useRegistry: (asOf?: string) => {
    asked.push(asOf);
    return {
      data: [unit('a', '县乡村振兴局'), unit('b', '县财政局'), unit('c', '县粮食局', 'abolished')],
      isLoading: false,
    };
  },
}));

function Where() {
  return <div data-testid="where">{decodeURIComponent(useLocation().search)}</div>;
}
function open(url: string) {
  return render(
    <ConfigProvider>
      <QueryClientProvider client={new QueryClient()}>
        <MemoryRouter initialEntries={[url]}>
          <Routes>
            <Route
              path="/registry"
              element={
                <>
                  <RegistryPage />
                  <Where />
                </>
              }
            />
          </Routes>
        </MemoryRouter>
      </QueryClientProvider>
    </ConfigProvider>,
  );
}
afterEach(() => {
  cleanup();
  asked.length = 0;
});

describe('the registry page', () => {
  it('shows the active units now, and narrows them by name with the filter kept in the URL', async () => {
    open('/registry');
    expect(asked.at(-1)).toBeUndefined();
    expect(screen.getByText('共 2 个单位')).toBeTruthy(); // the abolished one only on request
    expect(screen.queryByTestId('as-of-banner')).toBeNull();
    fireEvent.change(screen.getByLabelText('单位名称'), { target: { value: '乡村' } });
    await screen.findByText('共 1 个单位');
    expect(screen.getByTestId('where').textContent).toBe('?q=乡村');
  });

  it('asks for the end of the chosen day in China time, says so, and keeps the date on the links', () => {
    open('/registry?asOf=2026-05-01&status=all');
    expect(asked.at(-1)).toBe('2026-05-01T23:59:59.999+08:00');
    expect(screen.getByTestId('as-of-banner').textContent).toContain('2026-05-01 日终');
    expect(screen.getByText('共 3 个单位')).toBeTruthy();
    expect(screen.getByText('已撤销')).toBeTruthy();
    expect(screen.getByText('县财政局').closest('a')!.getAttribute('href')).toBe('/registry/units/b?asOf=2026-05-01');
  });

  it('takes an exact moment too, and says when the date cannot be read', () => {
    open('/registry?asOf=2026-05-01T02:00:00Z');
    expect(asked.at(-1)).toBe('2026-05-01T02:00:00.000Z');
    expect(screen.getByTestId('as-of-banner').textContent).toContain('2026-05-01 10:00:00');
    cleanup();
    open('/registry?asOf=2026-13-01');
    expect(asked.at(-1)).toBeUndefined();
    expect(screen.getByText('链接中的日期无法识别，下面显示的是当前台账。')).toBeTruthy();
  });
});
