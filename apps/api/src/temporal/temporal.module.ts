import { Global, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Client, Connection } from '@temporalio/client';
import { dataConverterFromEnv } from '@bianzhi/workflows/codec';
import { temporalConnectionFromEnv } from '@bianzhi/workflows/connection';
import { ApiError } from '../common/api-error';

/** The Temporal connection, opened lazily so the API starts (and answers 503) while Temporal is away. */
@Injectable()
export class TemporalService implements OnApplicationShutdown {
  private client?: Promise<Client>;
  readonly taskQueue: string;

  constructor(private readonly config: ConfigService) {
    this.taskQueue = config.get('TEMPORAL_TASK_QUEUE') ?? 'bianzhi-change-requests';
  }

  getClient(): Promise<Client> {
    if (!this.client) {
      this.client = Connection.connect({
        // mTLS where the cluster has it (TEMPORAL_TLS_*; workflows/connection.ts).
        ...temporalConnectionFromEnv({
          TEMPORAL_ADDRESS: this.config.get('TEMPORAL_ADDRESS'),
          TEMPORAL_TLS_CA_FILE: this.config.get('TEMPORAL_TLS_CA_FILE'),
          TEMPORAL_TLS_CERT_FILE: this.config.get('TEMPORAL_TLS_CERT_FILE'),
          TEMPORAL_TLS_KEY_FILE: this.config.get('TEMPORAL_TLS_KEY_FILE'),
          TEMPORAL_TLS_SERVER_NAME: this.config.get('TEMPORAL_TLS_SERVER_NAME'),
        }),
        connectTimeout: '5 seconds',
      })
        .then(
          (connection) =>
            new Client({
              connection,
              namespace: this.config.get('TEMPORAL_NAMESPACE') ?? 'default',
              // Every payload encrypted with a key Temporal never holds (workflows/codec.ts).
              dataConverter: dataConverterFromEnv(),
            }),
        )
        .catch((err) => {
          this.client = undefined;
          throw err;
        });
    }
    return this.client;
  }

  private lastDown = 0;
  private lastUp = 0;

  /**
   * Fails fast with 503 while Temporal is away, instead of letting a request hang on a dead server. A
   * success is trusted for a second, so that a busy API does not probe on every request.
   */
  async requireReachable(): Promise<void> {
    if (Date.now() - this.lastUp < 1000) return;
    if (Date.now() - this.lastDown < 1000 || !(await this.isReachable())) {
      throw ApiError.unavailable('the workflow engine (Temporal) is unavailable; retry later');
    }
  }

  /** True when the Temporal server answers within 2 seconds. */
  async isReachable(): Promise<boolean> {
    const ok = await this.probe();
    if (ok) this.lastUp = Date.now();
    else this.lastDown = Date.now();
    return ok;
  }

  private async probe(): Promise<boolean> {
    try {
      const client = await this.getClient();
      // A deadline, not a race: the call itself ends, so no retry outlives the probe (or the connection).
      await client.connection.withDeadline(Date.now() + 2000, () =>
        client.connection.workflowService.getSystemInfo({}),
      );
      return true;
    } catch {
      return false;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const client = await this.client?.catch(() => undefined);
    await client?.connection.close();
  }
}

@Global()
@Module({ providers: [TemporalService], exports: [TemporalService] })
export class TemporalModule {}
