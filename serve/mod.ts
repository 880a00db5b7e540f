/**
 * The operations server (`deno task serve`): the built site and a JSON API
 * over the store, with controls that record intent; and the users who may sign
 * in (`deno task users`).
 *
 * @module
 */
import { type App, type AppOptions, createApp } from "./app.ts";

export { type App, type AppOptions, createApp } from "./app.ts";
export { ROLE_RANK } from "./auth.ts";
export { openApiDocument } from "./openapi.ts";
export { OverrideBody, page, type Route, ROUTES, SessionInfo } from "./routes.ts";
export {
  addUser,
  type IssuedToken,
  issueToken,
  newToken,
  revokeUserTokens,
  tokenHash,
  verifyToken,
} from "./users.ts";

/** Options of {@linkcode startServer}. */
export interface ServerOptions extends AppOptions {
  hostname: string;
  /** 0: any free port. */
  port: number;
  /** Called once listening, with the address. */
  onListen?: (addr: Deno.NetAddr) => void;
  signal?: AbortSignal;
}

/** A running server. */
export interface RunningServer {
  addr: Deno.NetAddr;
  app: App;
  /** Resolves once the server has stopped (after `signal` aborts or `shutdown`). */
  finished: Promise<void>;
  shutdown(): Promise<void>;
}

/** Starts the server; it answers until `signal` aborts or `shutdown()`. */
export function startServer(options: ServerOptions): RunningServer {
  const app = createApp(options);
  const server = Deno.serve({
    hostname: options.hostname,
    port: options.port,
    signal: options.signal,
    onListen: (addr) => options.onListen?.(addr as Deno.NetAddr),
  }, (req) => app.handle(req));
  const finished = server.finished.finally(() => app.close());
  return {
    addr: server.addr as Deno.NetAddr,
    app,
    finished,
    shutdown: async () => {
      await server.shutdown();
      await finished;
    },
  };
}
