// What the API, the worker and the tools may know of the workflows: their Updates, query, state and the
// activities' interface. Imported as `@bianzhi/workflows`; the bundle's entry is `index.ts`.
export * from './definitions';
export * from './activities';
