import { Card, Space, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { AuditLog } from './audit/AuditLog';
import { ChainVerify } from './audit/ChainVerify';
import type { LogFilters } from './audit/logic';
import { Proofs } from './audit/Proofs';
import { RequestCheck } from './audit/RequestCheck';

/**
 * 审计 (the auditor's desk, issue 15): whether the hash-chained trail verifies; the trail itself, filtered and
 * paged; the signed checkpoint with its inclusion and consistency proofs; and one request checked — replayed,
 * exported as a dossier for the offline verifier, rebuilt at a moment from the trail. It reads and changes nothing.
 */
export function AuditPage() {
  const [tab, setTab] = useState('log');
  const [filters, setFilters] = useState<LogFilters>({});
  const [requestId, setRequestId] = useState<string>();
  const [seq, setSeq] = useState<number>();

  const checkRequest = (id: string) => {
    setRequestId(id);
    setTab('request');
  };
  const prove = (s: number) => {
    setSeq(s);
    setTab('proofs');
  };
  const showInLog = (id: string) => {
    setFilters({ requestId: id });
    setTab('log');
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Typography.Title level={4} style={{ margin: 0 }}>
        审计
      </Typography.Title>
      <ChainVerify />
      <Card size="small">
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            {
              key: 'log',
              label: '审计记录',
              children: (
                <AuditLog filters={filters} onFilters={setFilters} onPickRequest={checkRequest} onPickSeq={prove} />
              ),
            },
            { key: 'proofs', label: '检查点与证明', children: <Proofs seq={seq} onSeq={setSeq} /> },
            {
              key: 'request',
              label: '事项核查',
              children: (
                <RequestCheck
                  key={requestId}
                  requestId={requestId}
                  onRequestId={setRequestId}
                  onShowInLog={showInLog}
                />
              ),
            },
          ]}
        />
      </Card>
    </Space>
  );
}
