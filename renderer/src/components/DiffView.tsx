import { useMemo } from 'react';
import { diffLines, hunks } from '../lib/line-diff';
import './diff-view.css';

/** A unified diff of two XML texts (before → after), with line numbers of both sides. */
export function DiffView({ before, after, testId, emptyText }: { before: string; after: string; testId?: string; emptyText: string }) {
  const hs = useMemo(() => hunks(diffLines(before, after)), [before, after]);
  if (hs.length === 0) return <p className="muted" data-testid={testId}>{emptyText}</p>;
  return (
    <div className="xml-diff" data-testid={testId}>
      {hs.map((h) => (
        <table key={`${h.oldStart}-${h.newStart}`} className="diff-hunk">
          <tbody>
            <tr className="diff-head">
              <td colSpan={3}>
                @@ −{h.oldStart} +{h.newStart} @@
              </td>
            </tr>
            {h.lines.map((l, i) => (
              <tr key={i} className={`diff-${l.kind}`}>
                <td className="diff-num">{l.oldLine ?? ''}</td>
                <td className="diff-num">{l.newLine ?? ''}</td>
                <td className="diff-text">
                  <span className="diff-mark">{l.kind === 'add' ? '+' : l.kind === 'del' ? '−' : ' '}</span>
                  {l.text}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </div>
  );
}
