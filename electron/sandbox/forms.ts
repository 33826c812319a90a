import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import type { RequestContext } from './server.ts';

/**
 * The fields of a form body, `application/x-www-form-urlencoded` or `multipart/form-data` (what PHP
 * clients send when they post an array). Uploaded files are ignored. Any other body gives no fields.
 */
export async function readFormFields(request: IncomingMessage, context: RequestContext): Promise<Record<string, string>> {
  const type = request.headers['content-type'] ?? '';
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) return {};
  const body = await context.body();
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    const parser = busboy({ headers: request.headers, defParamCharset: 'utf8' });
    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    parser.on('file', (_name, stream) => stream.resume());
    parser.on('close', () => resolve(fields));
    parser.on('error', reject);
    parser.end(body);
  });
}

/** Client id and secret from an `Authorization: Basic` header, or null. */
export function basicCredentials(request: IncomingMessage): { id: string; secret: string } | null {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(request.headers.authorization ?? '');
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { id: formDecoded(decoded.slice(0, colon)), secret: formDecoded(decoded.slice(colon + 1)) };
}

/** RFC 6749 §2.3.1 form-encodes Basic credentials; many clients (PHP's curl) send them raw. Accept both. */
function formDecoded(text: string): string {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    return text;
  }
}
