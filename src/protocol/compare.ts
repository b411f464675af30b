// The compare panel's protocol, one entry for the host and the page: the messages and payloads
// (compareMessages.ts) and the guard every received message passes (compareGuards.ts).
export * from './compareMessages';
export * from './compareGuards';
