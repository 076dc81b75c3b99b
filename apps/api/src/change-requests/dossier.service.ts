import { Injectable } from '@nestjs/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { AuthUser } from '@bianzhi/auth';
import { requestFromTrail, requestView } from '@bianzhi/domain';
import { ApiError } from '../common/api-error';
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
    // The request as its records in the checkpoint tell it, not as the read model holds it: every field of this
    // section is what the verifier rebuilds from the verified records and compares (requestFromTrail).
    const rebuilt = requestFromTrail(row.id, inTree);
    if (!rebuilt) throw ApiError.notFound('the change request in the signed trail');
    return {
      format: DOSSIER_FORMAT,
      exportedAt: new Date().toISOString(),
      exportedBy: user.username,
      officeDecidedTypes: this.requests.officeDecidedTypes,
      request: requestView(rebuilt, { seesBallots: true, officeDecidedTypes: this.requests.officeDecidedTypes }),
      auditRecords: inTree.map((r) => ({ ...r, seq: Number(r.seq) })),
      // Records before it carry no signature (migration 1765411200000); the verifier checks the others'. The key
      // file's horizon, which the database's holders cannot move.
      recordsSignedFrom: (await this.log.checkpointer.signingKey()).signedFrom ?? (await this.trail.signingHorizon()),
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
