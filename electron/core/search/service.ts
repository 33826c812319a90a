import type { SearchHit } from '../../../shared/domain.ts';
import type { Storage } from '../storage/storage.ts';
import { search } from './query.ts';

/** Full-text search over applicants, applications, letters and document texts. */
export class SearchService {
  readonly #storage: Storage;

  constructor(storage: Storage) {
    this.#storage = storage;
  }

  query(text: string, limit: number): SearchHit[] {
    return search(this.#storage.db, text, limit);
  }
}
