export * from './entities';
export * from './data-source';
export * from './registry.repository';
export * from './queries';
export * from './audit-columns';
export * from './copy-binary';
export * from './audit-verification';
