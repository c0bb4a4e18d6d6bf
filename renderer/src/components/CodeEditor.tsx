/**
 * CodeMirror 6 with the XML language (highlighting, folding, search, bracket matching) inside a
 * shadow root. Why the shadow root: CodeMirror's styles come from style-mod, which writes them
 * into a <style> element when mounted on a document — and our Content-Security-Policy
 * (style-src 'self', no 'unsafe-inline') blocks those. Mounted on a ShadowRoot, style-mod uses a
 * constructed stylesheet (adoptedStyleSheets, CSSOM) instead, which the policy allows; no nonce
 * or weaker policy needed. CodeMirror's inline `style` changes go through `el.style` (CSSOM) too.
 */
import { xml } from '@codemirror/lang-xml';
import { EditorState, type Extension } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { forwardRef, useEffect, useImperativeHandle, useRef } from 'react';

export interface CodeEditorHandle {
  /** Moves the cursor to a 1-based line and scrolls it into view. */
  goToLine(line: number): void;
  focus(): void;
}

interface Props {
  value: string;
  onChange?: (value: string) => void;
  readOnly?: boolean;
  ariaLabel: string;
  testId?: string;
  /** 'xml' (default) highlights and folds XML; 'plain' for other text (YAML user-data). */
  language?: 'xml' | 'plain';
}

/** Colours from the app's CSS variables, which inherit into the shadow tree. */
const theme = EditorView.theme({
  '&': { height: '100%', fontSize: '13px', backgroundColor: 'var(--surface)', color: 'var(--text)' },
  '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: '1.45' },
  '.cm-gutters': { backgroundColor: 'var(--bg)', color: 'var(--muted)', borderRight: '1px solid var(--border)' },
  '.cm-activeLine, .cm-activeLineGutter': { backgroundColor: 'color-mix(in srgb, var(--selected) 55%, transparent)' },
  '&.cm-focused': { outline: '2px solid var(--focus)', outlineOffset: '-2px' },
  '.cm-panels': { backgroundColor: 'var(--bg)', color: 'var(--text)' },
  '.cm-cursor': { borderLeftColor: 'var(--text)' },
});

export const CodeEditor = forwardRef<CodeEditorHandle, Props>(function CodeEditor({ value, onChange, readOnly = false, ariaLabel, testId, language = 'xml' }, ref) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;

  useEffect(() => {
    const el = host.current!;
    const shadow = el.shadowRoot ?? el.attachShadow({ mode: 'open' });
    const mount = document.createElement('div');
    mount.className = 'cm-mount';
    shadow.replaceChildren(mount);
    const sizing = new CSSStyleSheet();
    sizing.replaceSync(':host { display: block; } .cm-mount { height: 100%; }');
    shadow.adoptedStyleSheets = [sizing];
    const extensions: Extension[] = [
      basicSetup,
      ...(language === 'xml' ? [xml()] : []),
      theme,
      EditorView.lineWrapping,
      EditorState.readOnly.of(readOnly),
      EditorView.editable.of(!readOnly),
      EditorView.contentAttributes.of({ 'aria-label': ariaLabel }),
      EditorView.updateListener.of((u) => {
        if (u.docChanged) onChangeRef.current?.(u.state.doc.toString());
      }),
    ];
    const v = new EditorView({ parent: mount, root: shadow, state: EditorState.create({ doc: value, extensions }) });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
    // Recreated only when read-only-ness changes; text changes are dispatched below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [readOnly, ariaLabel, language]);

  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value) v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
  }, [value]);

  useImperativeHandle(ref, () => ({
    goToLine(line: number) {
      const v = view.current;
      if (!v) return;
      const l = v.state.doc.line(Math.min(Math.max(1, line), v.state.doc.lines));
      v.dispatch({ selection: { anchor: l.from }, effects: EditorView.scrollIntoView(l.from, { y: 'center' }) });
      v.focus();
    },
    focus() {
      view.current?.focus();
    },
  }));

  return <div ref={host} className="code-editor" data-testid={testId} />;
});
