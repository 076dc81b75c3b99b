import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EChart } from './EChart';
import type { ChartOption } from './echarts';

// The wrapper's life: one chart per mount, each new option given to it, disposed on unmount.

const { chart, init } = vi.hoisted(() => {
  const chart = { setOption: vi.fn(), resize: vi.fn(), dispose: vi.fn() };
  return { chart, init: vi.fn((..._args: unknown[]) => chart) };
});
vi.mock('./echarts', () => ({ init }));

afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

describe('EChart', () => {
  it('makes the chart on mount (SVG, Chinese), sets each new option whole, disposes it on unmount', () => {
    const first: ChartOption = { series: [{ type: 'bar', data: [1] }] };
    const { getByTestId, rerender, unmount } = render(<EChart option={first} label="编制使用情况" data-testid="c" />);
    expect(init).toHaveBeenCalledTimes(1);
    const [element, , opts] = init.mock.calls[0] as [HTMLElement, unknown, object];
    expect(getByTestId('c').contains(element)).toBe(true);
    expect(getByTestId('c').getAttribute('aria-label')).toBe('编制使用情况');
    expect(opts).toEqual({ renderer: 'svg', locale: 'ZH' });
    expect(chart.setOption).toHaveBeenLastCalledWith({ aria: { enabled: true }, ...first }, { notMerge: true });

    rerender(<EChart option={first} label="编制使用情况" data-testid="c" />);
    expect(chart.setOption).toHaveBeenCalledTimes(1); // the same option: nothing redrawn

    const second: ChartOption = { series: [{ type: 'bar', data: [2] }] };
    rerender(<EChart option={second} label="编制使用情况" data-testid="c" />);
    expect(chart.setOption).toHaveBeenLastCalledWith({ aria: { enabled: true }, ...second }, { notMerge: true });
    expect(init).toHaveBeenCalledTimes(1);

    unmount();
    expect(chart.dispose).toHaveBeenCalledTimes(1);
  });
});
