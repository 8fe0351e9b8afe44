// What every platform double shares to be reached: an HTTP server on 127.0.0.1 at a free port,
// stopped with its connections, and the request body read whole.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export class LocalServer {
  private server?: Server;
  private readonly handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>;

  constructor(handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>) {
    this.handle = handle;
  }

  /** Listens on 127.0.0.1 at a port the system picks; `http://127.0.0.1:<port>`. */
  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Stops listening and closes every connection, kept-alive ones included. */
  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
    this.server?.closeAllConnections();
  }
}

/** The request's body as text. */
export async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
