import type { Command } from 'commander';
import { markClose, markOpen } from '../../../shared/search-terms.ts';
import { SearchService } from '../../core/search/service.ts';
import { withStorage } from '../storage.ts';
import type { CommandContext } from '../io.ts';

export function registerSearch(program: Command, context: () => CommandContext): void {
  program
    .command('search')
    .argument('<query...>', 'words to look for (all must match except common ones such as "of"; a phrase in double quotes, \'"economics of education"\', matches exactly; the last word also as a prefix)')
    .option('--limit <n>', 'at most this many hits', (value) => Math.max(1, Math.min(500, Number.parseInt(value, 10) || 20)), 20)
    .action((words: string[], options: { limit: number }) => {
      const ctx = context();
      return withStorage(ctx, (storage) => {
        const hits = new SearchService(storage).query(words.join(' '), options.limit);
        const highlight = (text: string) => (ctx.stdout.isTTY === true ? text.replaceAll(markOpen, '\u001b[1m').replaceAll(markClose, '\u001b[22m') : text.replaceAll(markOpen, '[').replaceAll(markClose, ']'));
        const human = hits.length === 0
          ? 'No matches.'
          : hits.map((hit) => `${hit.kind.padEnd(11)} ${highlight(hit.title)}${hit.applicationId === null ? '' : `  (application ${hit.applicationId})`}\n            ${highlight(hit.snippet)}`).join('\n');
        ctx.print({ query: words.join(' '), hits }, human);
      });
    });
}
