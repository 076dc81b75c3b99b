import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Typography } from 'antd';
import dayjs from 'dayjs';
import { api, unwrap } from '../../api/client';
import { problemSentence } from '../../domain/errors';
import { duration, verifySentence, type VerifyResult } from './logic';

export interface Verification extends VerifyResult {
  ms: number;
  checkedAt: string;
}

/** GET /v1/audit/verify, timed: the API recomputes every hash and link, the page says how long it took. */
async function verifyChain(): Promise<Verification> {
  const started = performance.now();
  const v = await unwrap<VerifyResult>(api.GET('/v1/audit/verify'));
  return { ...v, ms: performance.now() - started, checkedAt: new Date().toISOString() };
}

export function VerificationResult({ v }: { v: Verification }) {
  return (
    <Alert
      data-testid="audit-verify"
      data-valid={String(v.valid)}
      data-records={v.records}
      type={v.valid ? 'success' : 'error'}
      showIcon
      title={verifySentence(v)}
      description={
        <Descriptions size="small" column={{ xs: 1, md: 2 }}>
          <Descriptions.Item label="校验记录">{v.records} 条</Descriptions.Item>
          <Descriptions.Item label="用时">{duration(v.ms)}</Descriptions.Item>
          {!v.valid && v.firstBrokenSeq !== undefined && (
            <Descriptions.Item label="首个断链序号">
              <Typography.Text strong type="danger" data-testid="first-broken-seq">
                {v.firstBrokenSeq}
              </Typography.Text>
            </Descriptions.Item>
          )}
          {!!v.derivedColumnsAltered?.length && (
            <Descriptions.Item label="被改动的派生列">
              <Typography.Text type="danger">{v.derivedColumnsAltered.join('、')}</Typography.Text>
            </Descriptions.Item>
          )}
          <Descriptions.Item label="链头哈希">
            <Typography.Text code copyable style={{ wordBreak: 'break-all' }}>
              {v.headHash}
            </Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label="校验时间">{dayjs(v.checkedAt).format('YYYY-MM-DD HH:mm:ss')}</Descriptions.Item>
        </Descriptions>
      }
    />
  );
}

/** 审计链校验: run when the desk opens, and again on request. */
export function ChainVerify() {
  const verify = useQuery({ queryKey: ['audit', 'verify'], queryFn: verifyChain, refetchOnWindowFocus: false });
  return (
    <Card
      size="small"
      title="审计链校验"
      extra={
        <Button size="small" onClick={() => verify.refetch()} loading={verify.isFetching}>
          重新校验
        </Button>
      }
    >
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        逐条重新计算每条记录的哈希及其与前一条的链接；任何一条被改动、删除或插入，都会在其序号处断链。
      </Typography.Paragraph>
      {verify.error && <Alert type="error" showIcon title={problemSentence(verify.error)} />}
      {verify.data && <VerificationResult v={verify.data} />}
      {verify.isLoading && <Typography.Text type="secondary">正在校验…</Typography.Text>}
    </Card>
  );
}
