import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Role } from '../../../domain/src';

@Entity('users')
export class UserEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'text', unique: true }) username: string;
  @Column({ name: 'password_hash', type: 'text' }) passwordHash: string;
  @Column({ name: 'display_name', type: 'text' }) displayName: string;
  @Column({ type: 'text', array: true, default: () => "'{}'" }) roles: Role[];
  /** A clerk's or consultee's unit; a committee member's unit when the member leads one (recusal). */
  @Column({ name: 'unit_id', type: 'uuid', nullable: true }) unitId: string | null;
  @Column({ type: 'boolean', default: false }) disabled: boolean;
  /** Set when an administrator set or reset the password: only a password change is possible until done. */
  @Column({ name: 'must_change_password', type: 'boolean', default: false }) mustChangePassword: boolean;
  /** The TOTP secret (base32), encrypted when TOTP_ENCRYPTION_KEY is set; enabled once a code confirmed it. */
  @Column({ name: 'totp_secret', type: 'text', nullable: true }) totpSecret: string | null;
  @Column({ name: 'totp_enabled', type: 'boolean', default: false }) totpEnabled: boolean;
  /** The last time step whose code was accepted: a code of it or before is a replay. */
  @Column({ name: 'totp_last_step', type: 'bigint', nullable: true }) totpLastStep: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
