/**
 * xterm.js's DOM renderer writes its colours and cell sizes into <style> elements, which the
 * app's Content-Security-Policy (style-src 'self', no 'unsafe-inline') blocks. Rather than
 * weaken the policy for everyone, the text of those elements is mirrored into constructed
 * stylesheets (CSSOM, which the policy allows) for as long as the terminal exists.
 */
export function adoptInlineStyles(root: HTMLElement): () => void {
  const sheets = new Map<HTMLStyleElement, CSSStyleSheet>();
  const sync = () => {
    for (const el of root.querySelectorAll('style')) {
      let sheet = sheets.get(el);
      if (!sheet) {
        sheet = new CSSStyleSheet();
        sheets.set(el, sheet);
        document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
      }
      const text = el.textContent ?? '';
      if ((sheet as CSSStyleSheet & { _text?: string })._text !== text) {
        sheet.replaceSync(text);
        (sheet as CSSStyleSheet & { _text?: string })._text = text;
      }
    }
    for (const [el, sheet] of sheets) {
      if (!root.contains(el)) {
        sheets.delete(el);
        document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet);
      }
    }
  };
  const observer = new MutationObserver(sync);
  observer.observe(root, { subtree: true, childList: true, characterData: true });
  sync();
  return () => {
    observer.disconnect();
    const mine = new Set(sheets.values());
    document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => !mine.has(s));
  };
}
