/** Parses a JSON array column written by the sync; anything unexpected reads as empty rather than failing a whole list. */
export function jsonArray(text: string | null | undefined): unknown[] {
  if (!text) return [];
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value : [];
  } catch {
    return [];
  }
}

export function stringArray(text: string | null | undefined): string[] {
  return jsonArray(text).filter((item): item is string => typeof item === 'string' && item.trim() !== '');
}
