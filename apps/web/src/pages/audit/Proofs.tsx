import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Form, InputNumber, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { problemSentence } from '../../domain/errors';
import { algorithmName, proofProblem, type Checkpoint, type ConsistencyProof, type InclusionProof } from './logic';

// 检查点与证明: the trail's signed checkpoint (a Merkle tree over every record's hash), and the two proofs an
// auditor asks of it. The page shows each proof's path and the API's answer; checking a proof against a root is
// the offline verifier's (npm run verify-dossier), which needs no trust in this server.

const hashText = { wordBreak: 'break-all' } as const;

function Hash({ value, testId }: { value: string; testId?: string }) {
  return (
    <Typography.Text code copyable style={hashText} data-testid={testId}>
      {value}
    </Typography.Text>
  );
}

/** The sibling hashes from the leaf (or the older root) up to the root, in order. */
export function ProofPath({ proof }: { proof: string[] }) {
  if (proof.length === 0)
    return <Typography.Text type="secondary">无需路径（树中只有此一项，或两树相同）</Typography.Text>;
  return (
    <ol style={{ margin: 0, paddingLeft: 20 }} data-testid="proof-path">
      {proof.map((h, i) => (
        <li key={i}>
          <Typography.Text code style={hashText}>
            {h}
          </Typography.Text>
        </li>
      ))}
    </ol>
  );
}

export function CheckpointCard({ cp }: { cp: Checkpoint }) {
  return (
    <Descriptions size="small" column={1} bordered data-testid="checkpoint">
      <Descriptions.Item label="树规模（记录数）">
        <span data-testid="checkpoint-size">{cp.treeSize}</span>
      </Descriptions.Item>
      <Descriptions.Item label="根哈希">
        <Hash value={cp.rootHash} testId="checkpoint-root" />
      </Descriptions.Item>
      <Descriptions.Item label="链头">
        第 {cp.headSeq} 条 · <Hash value={cp.headHash} />
      </Descriptions.Item>
      <Descriptions.Item label="签名时间">{dayjs(cp.issuedAt).format('YYYY-MM-DD HH:mm:ss')}</Descriptions.Item>
      <Descriptions.Item label="算法">
        哈希 {algorithmName(cp.hashAlgorithm)} · 签名 {algorithmName(cp.signatureAlgorithm)}
      </Descriptions.Item>
      <Descriptions.Item label="签名">
        <Hash value={cp.signature} />
      </Descriptions.Item>
      <Descriptions.Item label="公钥">
        <Typography.Paragraph copyable style={{ margin: 0 }}>
          <pre style={{ margin: 0, fontSize: 12, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{cp.publicKey}</pre>
        </Typography.Paragraph>
      </Descriptions.Item>
    </Descriptions>
  );
}

export function InclusionResult({ p, checkpoint }: { p: InclusionProof; checkpoint?: Checkpoint }) {
  const sameTree = checkpoint?.treeSize === p.treeSize;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="inclusion">
      <Typography.Paragraph style={{ margin: 0 }}>
        此证明表明第 {p.seq} 条记录（叶序号 {p.leafIndex}）在规模为 {p.treeSize} 的审计树中：由其叶哈希依次与下列{' '}
        {p.proof.length} 个兄弟哈希合并，应得到根哈希；记录被改动或删除，则得不到此根。
      </Typography.Paragraph>
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label="叶哈希">
          <Hash value={p.leafHash} />
        </Descriptions.Item>
        <Descriptions.Item label="证明路径（由叶至根）">
          <ProofPath proof={p.proof} />
        </Descriptions.Item>
        <Descriptions.Item label="根哈希">
          <Hash value={p.rootHash} />{' '}
          {sameTree &&
            (checkpoint!.rootHash === p.rootHash ? (
              <Tag color="green">与上方签名检查点的根哈希相同</Tag>
            ) : (
              <Tag color="red">与上方签名检查点的根哈希不同</Tag>
            ))}
        </Descriptions.Item>
      </Descriptions>
    </Space>
  );
}

export function ConsistencyResult({ p }: { p: ConsistencyProof }) {
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="consistency">
      <Typography.Paragraph style={{ margin: 0 }}>
        此证明表明规模为 {p.to} 的审计树是规模为 {p.from} 的树的延续：前 {p.from}{' '}
        条记录未被改动、删除或重排，其后只有追加。由旧根与下列 {p.proof.length} 个哈希，应能同时算出旧根与新根。
      </Typography.Paragraph>
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label={`旧根（${p.from} 条）`}>
          <Hash value={p.fromRoot} />
        </Descriptions.Item>
        <Descriptions.Item label={`新根（${p.to} 条）`}>
          <Hash value={p.toRoot} />
        </Descriptions.Item>
        <Descriptions.Item label="证明路径">
          <ProofPath proof={p.proof} />
        </Descriptions.Item>
      </Descriptions>
    </Space>
  );
}

export function Proofs({ seq, onSeq }: { seq?: number; onSeq: (seq?: number) => void }) {
  // Each GET signs a checkpoint of the trail as it is now; the one fetched before stays, to prove the growth since.
  const [earlier, setEarlier] = useState<Checkpoint>();
  const checkpoint = useQuery({
    queryKey: ['audit', 'checkpoint'],
    queryFn: () => unwrap<Checkpoint>(api.GET('/v1/audit/checkpoint')),
    refetchOnWindowFocus: false,
  });
  const cp = checkpoint.data;
  const [treeSize, setTreeSize] = useState<number | null>(null);
  const [range, setRange] = useState<{ from: number | null; to: number | null }>({ from: null, to: null });
  const inclusion = useMutation({
    mutationFn: (q: { seq: number; treeSize: number }) =>
      unwrap<InclusionProof>(api.GET('/v1/audit/proofs/inclusion', { params: { query: q } })),
  });
  const consistency = useMutation({
    mutationFn: (q: { from: number; to: number }) =>
      unwrap<ConsistencyProof>(api.GET('/v1/audit/proofs/consistency', { params: { query: q } })),
  });
  const size = treeSize ?? cp?.treeSize ?? null;
  const from = range.from ?? earlier?.treeSize ?? (cp ? Math.max(1, cp.treeSize - 1) : null);
  const to = range.to ?? cp?.treeSize ?? null;

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Card
        size="small"
        title="最新签名检查点"
        extra={
          <Button
            size="small"
            loading={checkpoint.isFetching}
            onClick={() => {
              if (cp) setEarlier(cp);
              checkpoint.refetch();
            }}
          >
            签发新检查点
          </Button>
        }
      >
        <Typography.Paragraph type="secondary">
          检查点是对全部审计记录哈希所建默克尔树的根所作的签名：保存一份，日后即可证明审计记录只增未改。
          {earlier && ` 上一次获取的检查点规模为 ${earlier.treeSize}，可在下方证明其后只有追加。`}
        </Typography.Paragraph>
        {checkpoint.error && <Alert type="error" showIcon title={problemSentence(checkpoint.error)} />}
        {cp && <CheckpointCard cp={cp} />}
      </Card>

      <Card size="small" title="包含证明：某条记录在审计树中">
        <Form
          layout="inline"
          style={{ rowGap: 8, marginBottom: 12 }}
          onFinish={() => seq && size && inclusion.mutate({ seq, treeSize: size })}
        >
          <Form.Item label="记录序号" htmlFor="inclusion-seq">
            <InputNumber id="inclusion-seq" min={1} precision={0} value={seq} onChange={(v) => onSeq(v ?? undefined)} />
          </Form.Item>
          <Form.Item label="树规模" htmlFor="inclusion-size">
            <InputNumber id="inclusion-size" min={1} precision={0} value={size} onChange={(v) => setTreeSize(v)} />
          </Form.Item>
          <Form.Item>
            <Button htmlType="submit" disabled={!seq || !size} loading={inclusion.isPending}>
              获取包含证明
            </Button>
          </Form.Item>
        </Form>
        {inclusion.error && <Alert type="error" showIcon title={proofProblem(inclusion.error)} />}
        {inclusion.data && <InclusionResult p={inclusion.data} checkpoint={cp} />}
      </Card>

      <Card size="small" title="一致性证明：审计树只增未改">
        <Form
          layout="inline"
          style={{ rowGap: 8, marginBottom: 12 }}
          onFinish={() => from && to && consistency.mutate({ from, to })}
        >
          <Form.Item label="旧规模" htmlFor="consistency-from">
            <InputNumber
              id="consistency-from"
              min={1}
              precision={0}
              value={from}
              onChange={(v) => setRange({ ...range, from: v })}
            />
          </Form.Item>
          <Form.Item label="新规模" htmlFor="consistency-to">
            <InputNumber
              id="consistency-to"
              min={1}
              precision={0}
              value={to}
              onChange={(v) => setRange({ ...range, to: v })}
            />
          </Form.Item>
          <Form.Item>
            <Button htmlType="submit" disabled={!from || !to} loading={consistency.isPending}>
              获取一致性证明
            </Button>
          </Form.Item>
        </Form>
        {consistency.error && <Alert type="error" showIcon title={proofProblem(consistency.error)} />}
        {consistency.data && <ConsistencyResult p={consistency.data} />}
      </Card>

      <Typography.Text type="secondary">
        本页显示证明路径和服务端的答复，并不在浏览器中重新计算；独立核验请导出事项核查卷宗，用离线核验工具 （npm run
        verify-dossier）以公钥核对签名与证明。
      </Typography.Text>
    </Space>
  );
}
