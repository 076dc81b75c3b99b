import type { ECharts } from 'echarts/core';
import { useEffect, useRef } from 'react';
import { init, type ChartOption } from './echarts';

interface Props {
  option: ChartOption;
  height?: number;
  /** What the chart shows, for a screen reader; ECharts' aria describes the data inside. */
  label: string;
  'data-testid'?: string;
}

/**
 * One ECharts chart: made when the element mounts, given each new option (memoise it: a new object redraws),
 * resized with its container, disposed when it unmounts.
 */
export function EChart({ option, height = 300, label, 'data-testid': testId }: Props) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);

  useEffect(() => {
    const el = element.current;
    if (!el) return;
    const c = init(el, undefined, { renderer: 'svg', locale: 'ZH' });
    chart.current = c;
    // The card's width follows the window and the menu; ResizeObserver sees both (absent in old test DOMs).
    const observer = typeof ResizeObserver === 'undefined' ? undefined : new ResizeObserver(() => c.resize());
    observer?.observe(el);
    return () => {
      observer?.disconnect();
      chart.current = null;
      c.dispose();
    };
  }, []);

  useEffect(() => {
    // notMerge: a series that is gone (a status no request stands in any more) must go from the chart too.
    chart.current?.setOption({ aria: { enabled: true }, ...option }, { notMerge: true });
  }, [option]);

  return (
    <div role="figure" aria-label={label} data-testid={testId}>
      <div ref={element} style={{ width: '100%', height }} />
    </div>
  );
}
