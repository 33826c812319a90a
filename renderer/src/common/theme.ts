export type Theme = 'system' | 'light' | 'dark';

const systemDark = window.matchMedia('(prefers-color-scheme: dark)');

/** Sets the chosen theme and the colour scheme it resolves to, following the system while on "system". */
export function applyTheme(theme: Theme): void {
  const root = document.documentElement;
  root.dataset.theme = theme;
  root.dataset.scheme = theme === 'dark' || (theme === 'system' && systemDark.matches) ? 'dark' : 'light';
}

systemDark.addEventListener('change', () => applyTheme((document.documentElement.dataset.theme as Theme | undefined) ?? 'system'));
