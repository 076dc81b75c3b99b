import { Global, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Client, Connection } from '@temporalio/client';


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
      this.client = Connection.connect({ address: this.config.get('TEMPORAL_ADDRESS') ?? 'localhost:7233', connectTimeout: '5 seconds' })
        .then((connection) => new Client({ connection, namespace: this.config.get('TEMPORAL_NAMESPACE') ?? 'default' }))
        .catch((err) => {
          this.client = undefined;
          throw err;
        });
    }
    return this.client;
  }

  /** True when the Temporal server answers. */
  async isReachable(): Promise<boolean> {
    try {
      const client = await this.getClient();
      await Promise.race([
        client.connection.workflowService.getSystemInfo({}),
        new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 3000)),
      ]);
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
