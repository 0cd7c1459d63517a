// The board lives in Yjs documents in the browser (and its IndexedDB copy): no server rendering.
export const ssr = false;
