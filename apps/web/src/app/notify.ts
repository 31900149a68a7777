import type { App } from 'antd';
import { isApiError } from '../api/client.ts';

/**
 * antd's message/notification/modal bound to the App context (so they follow the theme and locale), reachable from
 * outside React (the query cache's error hooks). Set once by <NotifierBridge/>.
 */
type Notifier = ReturnType<typeof App.useApp>;
let notifier: Notifier | null = null;
export const setNotifier = (n: Notifier) => {
  notifier = n;
};

let lastShown = { text: '', at: 0 };

/** Show an error's (server-localised) message; the same text twice within 1.5 s is shown once. */
export const showError = (err: unknown) => {
  if (!notifier) return;
  if (err instanceof DOMException && err.name === 'AbortError') return;
  const text = err instanceof Error ? err.message : String(err);
  const now = Date.now();
  if (text === lastShown.text && now - lastShown.at < 1500) return;
  lastShown = { text, at: now };
  const requestId = isApiError(err) ? err.requestId : undefined;
  notifier.message.error({ content: text, key: requestId ?? text, duration: 5 });
};

export const showSuccess = (text: string) => notifier?.message.success(text);
