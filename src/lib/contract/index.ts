/**
 * The contract between the server and the page: the bodies of the HTTP API (http.ts), the
 * reasons the live connection closes for (close.ts), and how a page tells that the server ended
 * a session (session-end.ts). Server and page import the same schemas, so neither can drift.
 */
export * from './close';
export * from './exchange';
export * from './http';
export * from './measures';
export * from './session-end';
export * from './alerts';
