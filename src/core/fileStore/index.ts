/** Public API of the local MLflow file store backend (plain Node: never imports 'vscode'). */
export { FileStoreBackend } from './fileStoreBackend';
export type { FileStoreOptions } from './fileStoreBackend';
export type { StoreProblem } from './experimentFiles';
export { findMlrunsRoot, fileStoreRootFromUri } from './storePaths';
