export * from './entities';
export * from './data-source';
export * from './registry.repository';
export * from './queries';
