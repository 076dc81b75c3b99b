import { Injectable } from '@nestjs/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { AuthUser } from '@bianzhi/auth';
import { AuditTrailRepository, ChangeRequestEntity, DocumentsRepository } from '@bianzhi/persistence';
import { AuditLogService } from '../audit/audit-log.service';
import { ChangeRequestsService } from './change-requests.service';
import { ReplayService } from './replay.service';

export const DOSSIER_FORMAT = 'bianzhi-dossier/1';

/**
 * One file with everything an auditor needs about a request: the request, its audit records with their
 * hashes, each record's inclusion proof in a signed checkpoint of the whole trail, the Temporal history, and the
 * official documents issued (公文), which the verifier renders again from their records and compares.
 * `npm run verify-dossier -- FILE` checks it offline.
 */
@Injectable()
export class DossierService {
  constructor(
    private readonly trail: AuditTrailRepository,
    private readonly requests: ChangeRequestsService,
    private readonly log: AuditLogService,
    private readonly replay: ReplayService,
    private readonly documents: DocumentsRepository,
  ) {}

  async export(user: AuthUser, row: ChangeRequestEntity) {
    const checkpoint = await this.log.checkpoint();
    const records = await this.trail.recordsOfRequest(row.id);
    const inTree = records.filter((r) => Number(r.seq) <= checkpoint.treeSize);
    // Every proof from one read of the stored tree's nodes (O(k log n)), not a rebuild of the tree per record.
    const proofs: Record<string, string[]> = {};
    if (inTree.length)
      for (const p of await this.log.inclusions(
        inTree.map((r) => Number(r.seq)),
        checkpoint.treeSize,
      ))
        proofs[String(p.seq)] = p.proof;
    const history = JSON.parse(historyToJSON(await this.replay.fetchHistory(row.workflowId)));
    const issuedIn = new Set(
      inTree.map((r) => (r.after as { document?: { id?: string } } | null)?.document?.id).filter((id) => !!id),
    );
    return {
      format: DOSSIER_FORMAT,
      exportedAt: new Date().toISOString(),
      exportedBy: user.username,
      request: this.requests.view(user, row),
      auditRecords: inTree.map((r) => ({ ...r, seq: Number(r.seq) })),
      checkpoint,
      inclusionProofs: proofs,
      workflow: { workflowId: row.workflowId, history },
      // The documents whose issuing record is in the signed checkpoint: a later one comes with a later dossier.
      documents: await Promise.all(
        (await this.documents.ofRequest(row.id))
          .filter((d) => issuedIn.has(d.id))
          .map(async (d) => ({
            id: d.id,
            kind: d.kind,
            documentNumber: d.documentNumber,
            title: d.title,
            sha256: d.sha256,
            pdf: (await this.documents.content(d.id))!.content.toString('base64'),
          })),
      ),
    };
  }
}
