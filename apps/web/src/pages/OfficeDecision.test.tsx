import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { App as AntApp, ConfigProvider } from 'antd';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiProblem } from '../api/client';
import {
  automaticTag,
  DecidePanel,
  OfficeDecisionCard,
  referredForTooFew,
  StalledBanner,
  TooFewNote,
} from './OfficeDecision';
import { TodoList } from './WorkLists';

// The office's part of a request page as a person sees it: the director's 决定 panel (a refusal needs its
// reason, the API's refusal in words), the decision in place of a vote, a referral for too few voters, and a
// stalled implementation with its reason and the director's 重新实施.

function wrap(node: ReactNode, queries = new QueryClient()) {
  return render(
    <ConfigProvider button={{ autoInsertSpace: false }}>
      <AntApp>
        <QueryClientProvider client={queries}>
          <MemoryRouter>{node}</MemoryRouter>
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>,
  );
}

const button = (name: string) => screen.getByRole('button', { name });

afterEach(cleanup);

describe('the 决定 panel', () => {
  it('approves without a comment', async () => {
    const onDecide = vi.fn().mockResolvedValue(undefined);
    wrap(<DecidePanel onDecide={onDecide} />);
    fireEvent.click(button('提交决定'));
    await waitFor(() => expect(onDecide).toHaveBeenCalledWith({ decision: 'approve' }));
  });

  it('refuses only with a reason: without one it says so and sends nothing', async () => {
    const onDecide = vi.fn().mockResolvedValue(undefined);
    wrap(<DecidePanel onDecide={onDecide} />);
    fireEvent.click(screen.getByText('不同意'));
    fireEvent.click(button('提交决定'));
    await screen.findByText('不同意的，须写明理由');
    expect(onDecide).not.toHaveBeenCalled();
    fireEvent.change(screen.getByLabelText('不同意的理由'), { target: { value: '  年度用编计划已满 ' } });
    fireEvent.click(button('提交决定'));
    await waitFor(() => expect(onDecide).toHaveBeenCalledWith({ decision: 'reject', comment: '年度用编计划已满' }));
  });

  it("shows the API's refusal in words, at the field it names, never the code", async () => {
    const onDecide = vi
      .fn()
      .mockRejectedValue(
        new ApiProblem(400, 'VALIDATION_FAILED', 'comment: comment is required to reject', [
          { field: 'comment', problem: 'comment is required to reject' },
        ]),
      );
    const { container } = wrap(<DecidePanel onDecide={onDecide} />);
    fireEvent.click(button('提交决定'));
    await screen.findByText('填写的内容有误，请按提示修改。');
    await screen.findByText('须写明理由');
    expect(container.textContent).not.toContain('VALIDATION_FAILED');
  });

  it('says a stale page in words (WRONG_STAGE)', async () => {
    const onDecide = vi.fn().mockRejectedValue(new ApiProblem(409, 'WRONG_STAGE', 'x'));
    wrap(<DecidePanel onDecide={onDecide} />);
    fireEvent.click(button('提交决定'));
    await screen.findByText('此事项已进入其他环节，页面已刷新为最新状态。');
  });
});

describe("the office's decision in the 审议决定 stage", () => {
  it('shows who decided, when and why', () => {
    wrap(
      <OfficeDecisionCard
        decision={{ approved: false, comment: '年度用编计划已满', by: 'director', at: '2026-11-30T02:05:00Z' }}
      />,
    );
    const card = screen.getByTestId('office-decision');
    expect(card.textContent).toContain('不同意');
    expect(card.textContent).toContain('编办主任 director');
    expect(card.textContent).toContain('年度用编计划已满');
    expect(card.textContent).toMatch(/2026-11-30 \d\d:05/);
  });

  it('before the decision, says who is to decide', () => {
    wrap(<OfficeDecisionCard decision={null} />);
    expect(screen.getByTestId('office-decision').textContent).toContain('待编办主任决定');
  });
});

describe('a referral for too few voters', () => {
  const reason = 'TOO_FEW_ELIGIBLE: only 2 committee member(s) would be eligible after recusal, fewer than 3';

  it('is told from the other reasons to go up', () => {
    expect(referredForTooFew([reason])).toBe(true);
    expect(referredForTooFew(['adjusts 政法专项编制'])).toBe(false);
    expect(referredForTooFew(undefined)).toBe(false);
  });

  it('says how many could vote and that no vote was held', () => {
    wrap(<TooFewNote referralReasons={['adjusts 政法专项编制', reason]} />);
    const note = screen.getByTestId('referred-too-few');
    expect(note.textContent).toContain('未付表决');
    expect(note.textContent).toContain('仅 2 名成员可参加表决');
  });
});

describe('a stalled implementation', () => {
  const stalled = {
    step: 'implementation',
    reason: 'SQLSTATE 23514: implementations are frozen for the audit',
    at: '2026-11-30T03:00:00Z',
  };

  it('shows the reason and since when, and no retry to whoever may not retry', () => {
    wrap(<StalledBanner stalled={stalled} />);
    const banner = screen.getByTestId('stalled');
    expect(banner.textContent).toContain('未能更新机构编制台账');
    expect(screen.getByTestId('stalled-reason').textContent).toBe(stalled.reason);
    expect(banner.textContent).toMatch(/2026-11-30 \d\d:00/);
    expect(screen.queryByRole('button', { name: '重新实施' })).toBeNull();
  });

  it("retries with the director's comment, and says when it stalled again", async () => {
    const onRetry = vi.fn().mockResolvedValue({ stillStalled: true });
    wrap(<StalledBanner stalled={stalled} onRetry={onRetry} />);
    fireEvent.change(screen.getByLabelText('处理说明'), { target: { value: '冻结已解除' } });
    fireEvent.click(button('重新实施'));
    await screen.findByText('已重新实施，仍未成功：原因见上，请处理后再试。');
    expect(onRetry).toHaveBeenCalledWith('冻结已解除');
  });

  it('retries without a comment, and shows a refusal in words', async () => {
    const onRetry = vi.fn().mockRejectedValue(new ApiProblem(403, 'FORBIDDEN', 'x'));
    wrap(<StalledBanner stalled={stalled} onRetry={onRetry} />);
    fireEvent.click(button('重新实施'));
    await screen.findByText('您无权办理此项操作。');
    expect(onRetry).toHaveBeenCalledWith(undefined);
  });
});

describe("the director's 待办", () => {
  it('lists a decision and a retry, each linking to its request', () => {
    const queries = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity } } });
    const item = { type: 'USE_QUOTA', unitId: 'u1', unitName: '县住房和城乡建设局', overdue: false, since: '' };
    queries.setQueryData(['work-items'], {
      items: [
        { ...item, requestId: 'r1', title: '用编1名', status: 'office_decision', action: 'decide' },
        { ...item, requestId: 'r2', title: '加挂牌子', status: 'implementing', action: 'retry' },
      ],
      total: 2,
    });
    wrap(<TodoList />, queries);
    expect(screen.getByRole('link', { name: '用编1名' }).getAttribute('href')).toBe('/requests/r1');
    expect(screen.getByRole('link', { name: '加挂牌子' }).getAttribute('href')).toBe('/requests/r2');
    expect(screen.getByText('编办决定')).toBeTruthy();
    expect(screen.getByText('重新实施')).toBeTruthy();
    expect(screen.getByText('编办决定中')).toBeTruthy();
  });
});

describe('a consultation the procedure asked by itself', () => {
  it('names why the unit is heard: it gives quota, it is closed, or it receives the person moved', () => {
    expect(automaticTag('TRANSFER_QUOTA')).toBe('被调出单位·须听取意见');
    expect(automaticTag('MERGE_UNITS')).toBe('被撤并单位·须听取意见');
    expect(automaticTag('TRANSFER_PERSON')).toBe('调入单位·须听取意见');
  });
});
