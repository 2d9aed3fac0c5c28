// A drop area for files, shared by the evidence upload and the spreadsheet import.
import type { ComponentChildren, Ref } from 'preact';
import { useState } from 'preact/hooks';
import { t } from '../i18n';

/**
 * DropArea takes files dragged onto it or picked with its file input (visually hidden; its
 * label is the area's title, so a click or a keyboard user opens the picker). Its children go
 * under the title: hints, progress, the outcome.
 */
export function DropArea({
  id,
  title,
  accept,
  multiple = false,
  describedBy,
  inputRef,
  testid,
  onFiles,
  children,
}: {
  id: string;
  title: string;
  accept: string;
  multiple?: boolean;
  describedBy?: string;
  inputRef?: Ref<HTMLInputElement>;
  testid?: string;
  onFiles: (files: FileList | null) => void;
  children?: ComponentChildren;
}) {
  const [over, setOver] = useState(false);
  return (
    <div
      class={`dropzone${over ? ' over' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        onFiles(e.dataTransfer?.files ?? null);
      }}
      data-testid={testid}
    >
      <input
        ref={inputRef}
        id={id}
        type="file"
        class="visually-hidden"
        multiple={multiple}
        accept={accept}
        onChange={(e) => onFiles((e.currentTarget as HTMLInputElement).files)}
        aria-describedby={describedBy}
      />
      <label for={id} class="drop-label">
        <strong>{title}</strong> <span class="link-like">{t(multiple ? 'upload.choose' : 'upload.chooseOne')}</span>
      </label>
      {children}
    </div>
  );
}
