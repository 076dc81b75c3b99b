export * from './state';
export * from './guards';
