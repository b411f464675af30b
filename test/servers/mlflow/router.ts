/** The shape every endpoint handler shares. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestArgs } from './http-util';
import type { Store } from './store';

export interface RouteContext {
  store: Store;
  args: RequestArgs;
  req: IncomingMessage;
  res: ServerResponse;
  /** For prefix routes (artifact downloads): the decoded path after the prefix. */
  subPath: string;
}

/** Returns a JSON body for a 200, or `HANDLED` when it wrote the response itself. */
export type Handler = (ctx: RouteContext) => unknown;

export const HANDLED = Symbol('handled');

export interface Route {
  methods: string[];
  handler: Handler;
}

export type RouteTable = Record<string, Route>;
