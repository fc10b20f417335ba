/** The front door could not listen; `code` is the errno code (EADDRINUSE, EACCES, ...). */
export class FrontDoorListenError extends Error {
  override readonly name = 'FrontDoorListenError';
  readonly host: string;
  readonly port: number;
  readonly code: string | undefined;

  constructor(host: string, port: number, cause: NodeJS.ErrnoException) {
    super(listenErrorMessage(host, port, cause), { cause });
    this.host = host;
    this.port = port;
    this.code = cause.code;
  }
}

function listenErrorMessage(host: string, port: number, cause: NodeJS.ErrnoException): string {
  switch (cause.code) {
    case 'EADDRINUSE':
      return `RTSP port ${port} on ${host} is already taken by another program; choose another one with --port`;
    case 'EACCES':
      return `not allowed to listen on ${host}:${port} (ports below 1024 need privileges); choose another one with --port`;
    case 'EADDRNOTAVAIL':
      return `cannot listen on ${host}:${port}: ${host} is not an address of this machine`;
    default:
      return `cannot listen on ${host}:${port}: ${cause.code ?? 'error'} ${cause.message}`;
  }
}
