import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, List, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { api, unwrap } from '../api/client';
import { saveFromApi } from '../download';
import { problemSentence } from '../domain/errors';
import { DOCUMENT_KIND_LABELS } from '../domain/labels';

// 公文 (docs/api.md "Documents"): the request's 批复, 编制使用通知 or 不予批准通知 once issued, each a PDF to
// download with its 文号 and SHA-256, and the 审批表 rendered on demand.

interface IssuedDocument {
  id: string;
  kind: string;
  documentNumber?: string;
  title: string;
  sha256: string;
  issuedAt: string;
}

export function Documents({ requestId, issued }: { requestId: string; issued: number }) {
  const [error, setError] = useState<string | null>(null);
  const list = useQuery({
    // `issued` (the request's count of documents) in the key: a document the workflow issues shows at once.
    queryKey: ['request', requestId, 'documents', issued],
    queryFn: () =>
      unwrap<IssuedDocument[]>(api.GET('/v1/change-requests/{id}/documents', { params: { path: { id: requestId } } })),
    // The document follows the decision by a moment (the workflow issues it): asked again until it is there.
    refetchInterval: (q) => (q.state.data?.length ? false : 2_000),
  });
  const run = (work: Promise<void>) => {
    setError(null);
    work.catch((e) => setError(problemSentence(e)));
  };

  return (
    <Card
      size="small"
      title="公文"
      data-testid="documents"
      extra={
        <Button
          size="small"
          onClick={() => run(saveFromApi(`/v1/change-requests/${requestId}/approval-form`, '审批表.pdf'))}
        >
          下载审批表
        </Button>
      }
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 8 }} />}
      <List
        size="small"
        loading={list.isLoading}
        dataSource={list.data ?? []}
        locale={{ emptyText: '尚未印发公文（决定作出并实施后自动生成）' }}
        renderItem={(d) => (
          <List.Item
            data-testid="document"
            actions={[
              <a
                key="open"
                onClick={() => run(saveFromApi(`/v1/documents/${d.id}`, `${d.documentNumber ?? d.title}.pdf`))}
              >
                下载
              </a>,
            ]}
          >
            <List.Item.Meta
              title={`${DOCUMENT_KIND_LABELS[d.kind] ?? d.kind}：${d.title}`}
              description={
                <>
                  {d.documentNumber && <span data-testid="issued-number">{d.documentNumber}</span>} · 印发于{' '}
                  {dayjs(d.issuedAt).format('YYYY-MM-DD')} ·{' '}
                  <Typography.Text type="secondary" copyable={{ text: d.sha256 }}>
                    SHA-256 {d.sha256.slice(0, 16)}…
                  </Typography.Text>
                </>
              }
            />
          </List.Item>
        )}
      />
    </Card>
  );
}
