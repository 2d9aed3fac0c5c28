import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../i18n';

/**
 * A signature pad: draw with a mouse, pen or finger (pointer events). onChange receives the
 * drawing as a PNG data URL, or null when the pad is empty.
 */
export function SignaturePad({ id, onChange, error }: { id: string; onChange: (png: string | null) => void; error?: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const drawing = useRef(false);
  const [empty, setEmpty] = useState(true);

  useEffect(() => {
    const c = canvas.current!;
    const ratio = Math.max(1, window.devicePixelRatio || 1);
    const rect = c.getBoundingClientRect();
    c.width = Math.round(rect.width * ratio);
    c.height = Math.round(rect.height * ratio);
    const ctx = c.getContext('2d')!;
    ctx.scale(ratio, ratio);
    ctx.lineWidth = 2.5;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.strokeStyle = '#0a1f44';
  }, []);

  const point = (e: PointerEvent) => {
    const r = canvas.current!.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };
  const down = (e: PointerEvent) => {
    e.preventDefault();
    const c = canvas.current!;
    c.setPointerCapture?.(e.pointerId);
    drawing.current = true;
    const ctx = c.getContext('2d')!;
    const p = point(e);
    ctx.beginPath();
    ctx.moveTo(p.x, p.y);
    ctx.lineTo(p.x + 0.01, p.y + 0.01);
    ctx.stroke();
  };
  const move = (e: PointerEvent) => {
    if (!drawing.current) return;
    const ctx = canvas.current!.getContext('2d')!;
    const p = point(e);
    ctx.lineTo(p.x, p.y);
    ctx.stroke();
  };
  const up = () => {
    if (!drawing.current) return;
    drawing.current = false;
    setEmpty(false);
    onChange(canvas.current!.toDataURL('image/png'));
  };
  const clear = () => {
    const c = canvas.current!;
    c.getContext('2d')!.clearRect(0, 0, c.width, c.height);
    setEmpty(true);
    onChange(null);
  };
  return (
    <div class="signature-pad">
      <label id={`${id}-label`} for={id}>
        {t('sign.padLabel')}
      </label>
      <canvas
        id={id}
        ref={canvas}
        role="img"
        aria-labelledby={`${id}-label`}
        aria-describedby={error ? `${id}-hint ${id}-error` : `${id}-hint`}
        aria-invalid={error ? 'true' : undefined}
        onPointerDown={down}
        onPointerMove={move}
        onPointerUp={up}
        onPointerCancel={up}
        onPointerLeave={up}
        data-testid="signature-pad"
      />
      <small id={`${id}-hint`} class="hint">
        {empty ? t('sign.padHint') : t('sign.padDrawn')}
      </small>
      {error ? (
        <small id={`${id}-error`} class="field-error">
          {error}
        </small>
      ) : null}
      <button type="button" class="small" onClick={clear} disabled={empty}>
        {t('sign.clear')}
      </button>
    </div>
  );
}
