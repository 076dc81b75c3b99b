import { EntityManager } from 'typeorm';
import { UserEntity } from './entities';
import { activeCommitteeMembers } from './queries';

// The users table's SQL (docs/architecture.md: repositories own the SQL). Bound to the data source's manager,
// or to a transaction's through `transaction`.

/** Serialises the seeding of the first administrator when several API processes start at once. */
export const ADMIN_SEED_LOCK_KEY = 7303;

export type NewUser = Pick<UserEntity, 'username' | 'passwordHash' | 'displayName' | 'roles' | 'unitId'> &
  Partial<Pick<UserEntity, 'mustChangePassword'>>;

export class UsersRepository {
  constructor(private readonly em: EntityManager) {}

  /** Runs `work` in one transaction, with this repository bound to it and its manager (for the audit append). */
  transaction<T>(work: (users: UsersRepository, em: EntityManager) => Promise<T>): Promise<T> {
    return this.em.transaction((em) => work(new UsersRepository(em), em));
  }

  /** Takes the admin-seeding lock for the rest of the transaction. */
  async lockAdminSeeding(): Promise<void> {
    await this.em.query(`SELECT pg_advisory_xact_lock(${ADMIN_SEED_LOCK_KEY})`);
  }

  usernameTaken(username: string): Promise<boolean> {
    return this.em.getRepository(UserEntity).existsBy({ username });
  }

  /** Inserts a user; the answer carries the generated id and defaults. */
  insert(user: NewUser): Promise<UserEntity> {
    return this.em.getRepository(UserEntity).save(user);
  }

  findByUsername(username: string): Promise<UserEntity | null> {
    return this.em.getRepository(UserEntity).findOneBy({ username });
  }

  /** Stores a new, not yet confirmed TOTP secret. */
  async setTotpSecret(id: string, totpSecret: string): Promise<void> {
    await this.em.getRepository(UserEntity).update({ id }, { totpSecret, totpEnabled: false, totpLastStep: null });
  }

  /**
   * Takes a TOTP time step for the user, once: false when this step or a later one was used before (a replay).
   * Enables the factor on the way (the confirmation's code is the first step taken).
   */
  async claimTotpStep(id: string, step: number): Promise<boolean> {
    const [, count] = await this.em.query(
      `UPDATE users SET totp_last_step = $2, totp_enabled = true
       WHERE id = $1 AND totp_secret IS NOT NULL AND (totp_last_step IS NULL OR totp_last_step < $2)`,
      [id, step],
    );
    return Number(count) === 1;
  }

  /** Sets the password hash and whether it must be changed at the next sign-in. */
  async setPassword(id: string, passwordHash: string, mustChangePassword: boolean): Promise<void> {
    await this.em.getRepository(UserEntity).update({ id }, { passwordHash, mustChangePassword });
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.em.getRepository(UserEntity).findOneBy({ id });
  }

  /** The user's row locked (FOR UPDATE) until the transaction ends. */
  findForUpdate(id: string): Promise<UserEntity | null> {
    return this.em.getRepository(UserEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async save(user: UserEntity): Promise<void> {
    await this.em.getRepository(UserEntity).save(user);
  }

  /** Every user, by username. */
  list(): Promise<UserEntity[]> {
    return this.em.getRepository(UserEntity).find({ order: { username: 'ASC' } });
  }

  /** The committee (编委会): every active committee member, by username. */
  activeCommitteeMembers(): Promise<UserEntity[]> {
    return activeCommitteeMembers(this.em);
  }
}
