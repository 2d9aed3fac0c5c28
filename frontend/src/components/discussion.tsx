// An item's discussion between its Pemda's operators, the reviewers and the coordinators: the
// messages, a new one (with @e-mail mentions, which notify), and the author's own edit within
// 15 minutes or removal while nobody has answered.
import { useState } from 'preact/hooks';
import { lang, t } from '../i18n';
import { ok, type Schemas } from '../lib/api';
import { fmtDateTime } from '../lib/format';
import { store } from '../lib/state';
import type { User } from '../lib/types';
import { FormError, SubmitButton, TextArea, errorText, fieldError, useLoad } from './ui';
import { isStale, useSubmit } from './form';

type Comment = Schemas['Comment'];

/** Where a discussion belongs: a year, a Pemda and a leaf item. */
export interface DiscussionRef {
  year: number;
  code: string;
  indicator: string;
}

/** How long an author may edit a message, as the API allows. */
const EDIT_MINUTES = 15;

/** Who takes part in an item's discussions: admins, the Pemda's operators, and coordinators and reviewers within their province. */
export function canDiscuss(u: User | null | undefined, region: string): boolean {
  if (!u) return false;
  switch (u.role) {
    case 'admin':
      return true;
    case 'operator':
      return u.region_code === region;
    case 'coordinator':
    case 'reviewer':
      return !u.province || region.split('.')[0] === u.province;
    default:
      return false;
  }
}

export function Discussion({ at }: { at: DiscussionRef }) {
  const path = { params: { path: at } };
  const list = useLoad(() => ok(store.api.GET('/api/v1/periods/{year}/regions/{code}/items/{indicator}/comments', path)), [at.year, at.code, at.indicator]);
  const [body, setBody] = useState('');
  const idp = `talk-${at.indicator.replace(/[^\w-]/g, '_')}`;
  const post = useSubmit(() => ok(store.api.POST('/api/v1/periods/{year}/regions/{code}/items/{indicator}/comments', { ...path, body: { body } })), {
    onDone: (c) => {
      setBody('');
      list.set([...(list.data ?? []), c]);
    },
  });
  const me = store.session.value;
  const comments = list.data ?? [];
  const l = lang.value;
  return (
    <section class="discussion" aria-labelledby={`${idp}-h`} data-testid="discussion">
      <h3 id={`${idp}-h`}>{t('talk.title')}</h3>
      {list.error ? <p class="field-error">{errorText(list.error)}</p> : null}
      {list.data && comments.length === 0 ? <p class="hint">{t('talk.none')}</p> : null}
      {comments.length ? (
        <ol class="comments">
          {comments.map((c, i) => (
            <CommentEntry
              key={c.id}
              comment={c}
              at={at}
              mine={c.author === me?.email}
              last={i === comments.length - 1}
              lang={l}
              onChanged={(x) => list.set(x ? comments.map((y) => (y.id === x.id ? x : y)) : comments.filter((y) => y.id !== c.id))}
              onReload={list.reload}
            />
          ))}
        </ol>
      ) : null}
      <form class="form comment-form" noValidate onSubmit={post.submit}>
        <TextArea id={`${idp}-body`} label={t('talk.new')} value={body} onValue={setBody} error={fieldError(post.error, 'body')} hint={t('talk.mentionHint')} />
        {post.error && !fieldError(post.error, 'body') ? <FormError error={post.error} /> : null}
        <SubmitButton busy={post.busy} disabled={!body.trim()}>
          {t('talk.send')}
        </SubmitButton>
      </form>
    </section>
  );
}

function CommentEntry({
  comment: c,
  at,
  mine,
  last,
  lang: l,
  onChanged,
  onReload,
}: {
  comment: Comment;
  at: DiscussionRef;
  mine: boolean;
  last: boolean;
  lang: 'id' | 'en';
  onChanged: (c: Comment | null) => void;
  onReload: () => void;
}) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(c.body);
  const path = { params: { path: { ...at, id: c.id } } };
  const save = useSubmit(() => ok(store.api.PATCH('/api/v1/periods/{year}/regions/{code}/items/{indicator}/comments/{id}', { ...path, body: { body: text, version: c.version } })), {
    onDone: (x) => {
      setEditing(false);
      onChanged(x);
    },
  });
  const remove = useSubmit(() => ok(store.api.DELETE('/api/v1/periods/{year}/regions/{code}/items/{indicator}/comments/{id}', path)), { onDone: () => onChanged(null) });
  const editable = mine && Date.now() - Date.parse(c.created_at) < EDIT_MINUTES * 60_000;
  const idp = `comment-${c.id}`;
  return (
    <li class={mine ? 'mine' : undefined} data-comment={c.id}>
      <p class="comment-head">
        <strong>{c.author_name}</strong> <small>{c.author}</small> · <time dateTime={c.created_at}>{fmtDateTime(c.created_at, l)}</time>
        {c.edited_at ? <small> · {t('talk.edited')}</small> : null}
      </p>
      {editing ? (
        <form class="form" noValidate onSubmit={save.submit}>
          <TextArea id={`${idp}-edit`} label={t('talk.editLabel')} value={text} onValue={setText} error={fieldError(save.error, 'body')} />
          {isStale(save.error) ? (
            <button type="button" class="link" onClick={onReload}>
              {t('common.reloadLatest')}
            </button>
          ) : save.error && !fieldError(save.error, 'body') ? (
            <FormError error={save.error} />
          ) : null}
          <div class="actions">
            <SubmitButton busy={save.busy}>{t('common.save')}</SubmitButton>
            <button type="button" onClick={() => setEditing(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      ) : (
        <p class="comment-body">{c.body}</p>
      )}
      {!editing && (editable || (mine && last)) ? (
        <div class="comment-actions">
          {editable ? (
            <button type="button" class="link" onClick={() => (setText(c.body), setEditing(true))}>
              {t('talk.edit')}
            </button>
          ) : null}
          {mine && last ? (
            <button type="button" class="link" disabled={remove.busy} onClick={() => remove.run()}>
              {t('talk.delete')}
            </button>
          ) : null}
        </div>
      ) : null}
      {remove.error ? <FormError error={remove.error} /> : null}
    </li>
  );
}
