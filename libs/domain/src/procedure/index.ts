export * from './stages';
export * from './vote';
export * from './decision';
export * from './state';
export * from './guards';
export * from './documents';
export * from './office-config';
export * from './meeting';
