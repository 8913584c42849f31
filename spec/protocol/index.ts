export * from './channels.ts';
export * from './close-codes.ts';
export * from './conflicts.ts';
export * from './frames.ts';
export * from './signing.ts';
