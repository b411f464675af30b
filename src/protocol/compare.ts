// The compare panel's protocol, one entry for the host and the page: the messages and payloads
// (compareMessages.ts), the guard every received message passes (compareGuards.ts) and the
// reading of the history columns they carry (compareColumns.ts).
export * from './compareMessages';
export * from './compareGuards';
export * from './compareColumns';
