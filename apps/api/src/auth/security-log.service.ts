import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SecurityRepository, securityEventHash } from '@bianzhi/persistence';
import { Clock } from '../common/clock';

// The security log (安全审计日志), apart from the business audit trail but hash-chained the same way: each
// record's hash is SHA-256 over its predecessor's hash and its canonical JSON (docs/architecture.md, "Accounts
// and the security log"). Kept 180 days at least: the retention job deletes only what is older.

export const SECURITY_EVENT_TYPES = [
  'sign_in',
  'sign_in_failed',
  'sign_in_locked',
  'account_locked',
  'access_denied',
  'password_changed',
  'password_change_failed',
  'logout',
  'totp_enrolled',
  'totp_failed',
  'user_created',
  'user_updated',
  'roles_changed',
  'account_unlocked',
  'password_reset',
  'security_log_purged',
  // The Checkpointer refused to sign over a record that is not the application's (docs/architecture.md).
  'audit_checkpoint_refused',
  // An audit administrator acknowledged such records, on the record (docs/architecture.md).
  'forged_records_acknowledged',
] as const;
export type SecurityEventType = (typeof SECURITY_EVENT_TYPES)[number];

export const RETENTION_DAYS = 180;
const DAY_MS = 86_400_000;

export interface SecurityEventInput {
  type: SecurityEventType;
  /** The account concerned (the one signing in, or the one an administrator acted on). */
  username?: string | null;
  /** Who did it, when signed in. */
  actor?: string | null;
  address?: string | null;
  detail?: Record<string, unknown>;
}

@Injectable()
export class SecurityLogService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SecurityLog');
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly security: SecurityRepository,
    private readonly clock: Clock,
  ) {}

  /** Appends one event; a failure to write is logged, never the caller's failure (a denial still answers). */
  async record(input: SecurityEventInput): Promise<void> {
    try {
      await this.security.record({
        at: this.clock.now(),
        type: input.type,
        username: input.username ?? null,
        actor: input.actor ?? null,
        address: input.address ?? null,
        detail: input.detail ?? {},
      });
    } catch (e) {
      this.logger.error(`could not record ${input.type}: ${(e as Error).message}`);
    }
  }

  list(filter: { from?: Date; to?: Date; type?: string; username?: string; limit?: number }) {
    return this.security.events({ ...filter, limit: Math.min(filter.limit ?? 500, 5000) });
  }

  /**
   * Recomputes every hash and link. The first kept record's prevHash is taken as given: retention deleted its
   * predecessors (docs/architecture.md).
   */
  async verify(): Promise<{ ok: boolean; records: number; firstSeq: number | null; brokenAt: number | null }> {
    const rows = await this.security.all();
    let prev: string | null = null;
    for (const r of rows) {
      if ((prev !== null && r.prevHash !== prev) || securityEventHash(r, r.prevHash) !== r.hash)
        return { ok: false, records: rows.length, firstSeq: rows[0]?.seq ?? null, brokenAt: r.seq };
      prev = r.hash;
    }
    return { ok: true, records: rows.length, firstSeq: rows[0]?.seq ?? null, brokenAt: null };
  }

  /** Deletes the records older than the retention period, never a younger one; answers how many went. */
  async purge(): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - RETENTION_DAYS * DAY_MS);
    const deleted = await this.security.purgeBefore(cutoff);
    if (deleted) await this.record({ type: 'security_log_purged', detail: { before: cutoff.toISOString(), deleted } });
    return deleted;
  }

  /** The retention job: once at start and then daily, in every API process (deleting twice is harmless). */
  onApplicationBootstrap(): void {
    const run = () => this.purge().catch((e) => this.logger.warn(`retention: ${(e as Error).message}`));
    this.timer = setInterval(run, DAY_MS);
    this.timer.unref();
    run();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
