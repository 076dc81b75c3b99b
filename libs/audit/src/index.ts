export * from './audit-chain';
export * from './audit.writer';
export * from './merkle';
export * from './signing';
export * from './checkpoint';
