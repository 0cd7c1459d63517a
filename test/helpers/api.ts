/** The HTTP API as a test calls it: a method, a path, a token and a JSON body. */

export interface ApiAnswer {
	status: number;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON of several shapes, checked by each test
	body: any;
}

/** Calls `path` on the server at `baseUrl`; the answer's status and parsed JSON body (or null). */
export async function callApi(
	baseUrl: string,
	method: string,
	path: string,
	{ token, body }: { token?: string; body?: unknown } = {}
): Promise<ApiAnswer> {
	const response = await fetch(`${baseUrl}${path}`, {
		method,
		headers: {
			...(token ? { authorization: `Bearer ${token}` } : {}),
			...(body !== undefined ? { 'content-type': 'application/json' } : {})
		},
		body: body === undefined ? undefined : JSON.stringify(body)
	});
	const text = await response.text();
	return { status: response.status, body: text ? JSON.parse(text) : null };
}
