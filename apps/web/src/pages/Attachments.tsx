import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, List, Upload } from 'antd';
import { useState } from 'react';
import { ApiProblem, api, getToken, newKey, unwrap } from '../api/client';
import { saveFromApi } from '../download';
import { problemSentence } from '../domain/errors';

// 附件 (docs/api.md "Attachments"): the 请示 and its supporting papers. Hidden while the API has no such routes.

interface Attachment {
  id: string;
  name: string;
  size: number;
  contentType: string;
  sha256: string;
}

const UPLOAD_ERRORS: Record<number, string> = {
  413: '文件超过 20 MB，不能上传。',
  415: '只能上传 PDF、OFD、DOCX、XLSX、JPEG 或 PNG 文件（按文件内容判断）。',
};

export function Attachments({ requestId, canUpload }: { requestId: string; canUpload: boolean }) {
  const client = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const list = useQuery({
    queryKey: ['request', requestId, 'attachments'],
    queryFn: () =>
      unwrap<Attachment[]>(api.GET('/v1/change-requests/{id}/attachments', { params: { path: { id: requestId } } })),
  });
  if (list.isLoading) return null;

  const upload = async (file: File) => {
    setError(null);
    const body = new FormData();
    body.append('file', file);
    const res = await fetch(`/v1/change-requests/${requestId}/attachments`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${getToken()}`, 'Idempotency-Key': newKey() },
      body,
    });
    if (res.ok) await client.invalidateQueries({ queryKey: ['request', requestId, 'attachments'] });
    else {
      const e = await res.json().catch(() => ({}));
      setError(UPLOAD_ERRORS[res.status] ?? problemSentence(new ApiProblem(res.status, e.code, e.message ?? '')));
    }
  };

  /** The file needs the bearer token: fetched and handed to the browser. */
  const open = (a: Attachment) =>
    saveFromApi(`/v1/attachments/${a.id}`, a.name).catch((e) => setError(problemSentence(e)));

  return (
    <Card size="small" title="附件">
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 8 }} />}
      <List
        size="small"
        dataSource={list.data ?? []}
        locale={{ emptyText: '暂无附件' }}
        renderItem={(a) => (
          <List.Item
            actions={[
              <a key="open" onClick={() => open(a)}>
                下载
              </a>,
            ]}
          >
            {a.name}（{Math.ceil(a.size / 1024)} KB）
          </List.Item>
        )}
      />
      {canUpload && (
        <Upload
          showUploadList={false}
          beforeUpload={(file) => {
            upload(file).catch((e) => setError(problemSentence(e)));
            return false;
          }}
        >
          <Button style={{ marginTop: 8 }}>上传附件</Button>
        </Upload>
      )}
    </Card>
  );
}
