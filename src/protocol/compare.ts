// The compare panel's protocol, one entry for the host and the page: the messages and payloads
// (compareMessages.ts), the guard every received message passes (compareGuards.ts), the
// reading of the history columns they carry (compareColumns.ts) and their runs as a table
// (compareRunTable.ts).
export * from './compareMessages';
export * from './compareGuards';
export * from './compareColumns';
export * from './compareRunTable';
