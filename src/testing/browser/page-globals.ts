// Types for the code the tests run inside the page (page.evaluate). The project compiles
// without the DOM library, on purpose (server code must not see `window`), so the few browser
// globals those functions touch are described here and reached through `globalThis`.

export interface PageElement {
  readonly tagName: string;
  readonly id: string;
  readonly textContent: string | null;
  getAttribute(name: string): string | null;
  closest(selector: string): PageElement | null;
  labels?: ArrayLike<PageElement> | null;
  value?: string | number;
  max?: number;
}

export interface PageStyle {
  readonly outlineStyle: string;
  readonly outlineWidth: string;
  readonly boxShadow: string;
}

export interface PageWindow {
  readonly innerWidth: number;
  readonly document: {
    readonly scrollingElement: { readonly scrollWidth: number } | null;
    readonly activeElement: PageElement | null;
    querySelector(selector: string): PageElement | null;
  };
  readonly sessionStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void; removeItem(key: string): void };
  readonly localStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void; removeItem(key: string): void };
  readonly performance: { getEntriesByType(type: string): Record<string, number | string>[] };
  getComputedStyle(element: PageElement): PageStyle;
  requestAnimationFrame(callback: () => void): number;
  cancelAnimationFrame(handle: number): void;
  dispatchEvent(event: unknown): boolean;
  [key: string]: unknown;
}

